#include "http/log_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace slotlock::unit {
namespace {

TEST(log_text, keeps_printable_text_and_utf8) {
  EXPECT_EQ(log_text("/api/appointments/42"), "/api/appointments/42");
  EXPECT_EQ(log_text("Zoë Ångström 東京"), "Zoë Ångström 東京");
}

TEST(log_text, escapes_control_characters_so_no_line_can_be_forged) {
  const auto out = log_text("/a\nfake 2026 INFO admin signed in\r\x1b[2J\x7f");
  EXPECT_EQ(out, "/a\\x0Afake 2026 INFO admin signed in\\x0D\\x1B[2J\\x7F");
  EXPECT_EQ(out.find_first_of("\n\r\x1b\x7f"), std::string::npos);
  EXPECT_EQ(log_text(std::string("a\0b", 3)), "a\\x00b");
}

TEST(log_text, escapes_the_backslash_so_an_escape_cannot_be_faked) { EXPECT_EQ(log_text("\\x0A"), "\\x5Cx0A"); }

TEST(log_text, escapes_invalid_utf8_byte_by_byte) {
  EXPECT_EQ(log_text("\xff\xfe"), "\\xFF\\xFE");
  EXPECT_EQ(log_text("\xc3"), "\\xC3");                    // cut short
  EXPECT_EQ(log_text("\xc0\xaf"), "\\xC0\\xAF");           // overlong '/'
  EXPECT_EQ(log_text("\xed\xa0\x80"), "\\xED\\xA0\\x80");  // a surrogate
  EXPECT_EQ(log_text("\xf4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");
}

TEST(log_text, escapes_c1_controls_and_line_or_direction_marks) {
  EXPECT_EQ(log_text("\xc2\x9b"
                     "31m"),
            "\\xC2\\x9B31m");                     // CSI
  EXPECT_EQ(log_text("\xc2\x85"), "\\xC2\\x85");  // NEL
  EXPECT_EQ(log_text("a\xe2\x80\xa8"
                     "b"),
            "a\\xE2\\x80\\xA8b");
  EXPECT_EQ(log_text("\xe2\x80\xae"), "\\xE2\\x80\\xAE");
  EXPECT_EQ(log_text("\xc2\xa0"), "\xc2\xa0");  // no-break space is text
}

TEST(log_text, bounds_the_length) {
  const std::string long_text(10'000, 'a');
  const auto out = log_text(long_text, 100);
  EXPECT_EQ(out, std::string(100, 'a') + "…(+9900 bytes)");
  // A sequence cut by the limit is escaped, not left half-written.
  EXPECT_EQ(log_text("ab\xc3\xa9", 3), "ab\\xC3…(+1 bytes)");
}

}  // namespace
}  // namespace slotlock::unit
