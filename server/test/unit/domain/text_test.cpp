#include "domain/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace slotlock::unit {
namespace {

TEST(text, valid_utf8_follows_rfc_3629) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("\xc3\xa9\xe6\x9d\xb1\xf0\x9f\x98\x80"));  // é 東 😀
  EXPECT_FALSE(valid_utf8("\xff"));
  EXPECT_FALSE(valid_utf8("\xc3"));              // cut short
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(valid_utf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(valid_utf8("a\x80"));             // a lone continuation byte
}

TEST(text, control_characters_are_c0_del_and_c1) {
  EXPECT_FALSE(has_control_characters("Dana \xc3\x85str\xc3\xb6m"));
  EXPECT_TRUE(has_control_characters(std::string("a\0b", 3)));
  EXPECT_TRUE(has_control_characters("tab\t"));
  EXPECT_TRUE(has_control_characters("\x1b[2J"));
  EXPECT_TRUE(has_control_characters("\x7f"));
  EXPECT_TRUE(has_control_characters("\xc2\x9b"));
  EXPECT_FALSE(has_control_characters("\xc2\xa0"));
}

TEST(text, only_white_space_knows_unicode_spaces) {
  EXPECT_TRUE(only_white_space(""));
  EXPECT_TRUE(only_white_space("   "));
  EXPECT_TRUE(only_white_space("\xc2\xa0\xe3\x80\x80\xe2\x80\x83 "));  // no-break, ideographic, em space
  EXPECT_TRUE(only_white_space("\xe2\x80\x8b\xef\xbb\xbf"));           // zero-width space, BOM
  EXPECT_FALSE(only_white_space("  x  "));
}

}  // namespace
}  // namespace slotlock::unit
