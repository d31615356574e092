#include "domain/time.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

namespace slotlock {
namespace {

using namespace std::chrono_literals;

std::optional<std::int64_t> parsed_millis(const std::string& s) {
  const auto t = parse_iso(s);
  if (!t) return std::nullopt;
  return to_millis(*t);
}

TEST(format_iso, writes_utc_with_milliseconds_and_z) {
  EXPECT_EQ(format_iso(from_millis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso(from_millis(1'800'000'000'000)), "2027-01-15T08:00:00.000Z");
  EXPECT_EQ(format_iso(from_millis(1'800'000'000'007)), "2027-01-15T08:00:00.007Z");
  EXPECT_EQ(format_iso(from_millis(951'782'400'000 - 1)), "2000-02-28T23:59:59.999Z");
  EXPECT_EQ(format_iso(from_millis(951'782'400'000 + 86'400'000)), "2000-03-01T00:00:00.000Z");  // leap year
}

TEST(parse_iso, round_trips_what_format_iso_writes) {
  for (std::int64_t ms :
       {0LL, 1LL, 999LL, 1'000LL, 951'868'799'999LL, 1'800'000'000'123LL, 4'102'444'799'999LL, 253'402'300'799'999LL}) {
    const auto text = format_iso(from_millis(ms));
    EXPECT_EQ(parsed_millis(text), ms) << text;
  }
  manual_clock clock(from_millis(1'700'000'000'000));
  for (int i = 0; i < 1000; ++i) {
    clock.advance(milliseconds(7'919'993));  // odd steps: every field varies
    const auto text = format_iso(clock.now());
    ASSERT_EQ(parsed_millis(text), to_millis(clock.now())) << text;
  }
}

TEST(parse_iso, accepts_optional_seconds_and_fractions) {
  const std::int64_t base = 1'800'000'000'000;  // 2027-01-15T08:00:00Z
  EXPECT_EQ(parsed_millis("2027-01-15T08:00Z"), base);
  EXPECT_EQ(parsed_millis("2027-01-15T08:00:00Z"), base);
  EXPECT_EQ(parsed_millis("2027-01-15T08:00:00.5Z"), base + 500);
  EXPECT_EQ(parsed_millis("2027-01-15T08:00:00.05Z"), base + 50);
  EXPECT_EQ(parsed_millis("2027-01-15T08:00:00.123456789Z"), base + 123);  // truncated to ms
}

TEST(parse_iso, applies_zone_offsets) {
  const std::int64_t base = 1'800'000'000'000;  // 2027-01-15T08:00:00Z
  EXPECT_EQ(parsed_millis("2027-01-15T09:00:00+01:00"), base);
  EXPECT_EQ(parsed_millis("2027-01-15T03:30:00-04:30"), base);
  EXPECT_EQ(parsed_millis("2027-01-15T08:00:00+00:00"), base);
  EXPECT_EQ(parsed_millis("2027-01-15T08:00:00-00:00"), base);
  // Across a date line.
  EXPECT_EQ(parsed_millis("2027-01-14T23:00:00-09:00"), base);
  EXPECT_EQ(parsed_millis("2027-01-16T07:00:00+23:00"), base);
  EXPECT_EQ(format_iso(*parse_iso("2027-01-01T01:15:00.250+02:00")), "2026-12-31T23:15:00.250Z");
}

TEST(parse_iso, rejects_a_time_without_a_zone) {
  EXPECT_FALSE(parse_iso("2027-01-15T08:00:00"));
  EXPECT_FALSE(parse_iso("2027-01-15T08:00:00.000"));
  EXPECT_FALSE(parse_iso("2027-01-15T08:00"));
  EXPECT_FALSE(parse_iso("2027-01-15"));
}

TEST(parse_iso, rejects_impossible_dates_and_times) {
  EXPECT_FALSE(parse_iso("2027-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_iso("2027-00-01T00:00:00Z"));
  EXPECT_FALSE(parse_iso("2027-01-00T00:00:00Z"));
  EXPECT_FALSE(parse_iso("2027-01-32T00:00:00Z"));
  EXPECT_FALSE(parse_iso("2027-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_iso("2027-02-29T00:00:00Z"));  // not a leap year
  EXPECT_TRUE(parse_iso("2028-02-29T00:00:00Z"));   // a leap year
  EXPECT_FALSE(parse_iso("2100-02-29T00:00:00Z"));  // century, not a leap year
  EXPECT_FALSE(parse_iso("2027-04-31T00:00:00Z"));
  EXPECT_FALSE(parse_iso("2027-01-15T24:00:00Z"));
  EXPECT_FALSE(parse_iso("2027-01-15T08:60:00Z"));
  EXPECT_FALSE(parse_iso("2027-01-15T08:00:60Z"));
  EXPECT_FALSE(parse_iso("2027-01-15T08:00:00+24:00"));
  EXPECT_FALSE(parse_iso("2027-01-15T08:00:00+01:60"));
  EXPECT_FALSE(parse_iso("1969-12-31T23:59:59Z"));
}

// Found by fuzz_parse_iso: in range as local time, out of it in UTC. Accepting them stored
// instants that format_iso shows as 1969 or 10000, which parse_iso then refuses.
TEST(parse_iso, rejects_instants_an_offset_moves_out_of_range) {
  EXPECT_FALSE(parse_iso("1970-01-01T00:30:00.1235689+05:30"));
  EXPECT_FALSE(parse_iso("1970-01-01T00:00:00+00:01"));
  EXPECT_FALSE(parse_iso("9999-12-31T23:59:00-00:01"));
  ASSERT_TRUE(parse_iso("1970-01-01T00:00:00-00:01"));
  EXPECT_EQ(format_iso(*parse_iso("1970-01-01T00:00:00-00:01")), "1970-01-01T00:01:00.000Z");
  ASSERT_TRUE(parse_iso("9999-12-31T23:59:59.999+00:01"));
  EXPECT_EQ(format_iso(*parse_iso("9999-12-31T23:59:59.999+00:01")), "9999-12-31T23:58:59.999Z");
  EXPECT_TRUE(parse_iso("1970-01-01T00:00:00.000Z"));
}

TEST(parse_iso, rejects_malformed_text) {
  for (const char* bad :
       {"", "Z", "garbage", "2027-01-15T08:00:00Zjunk", "2027-01-15T08:00:00Z ", " 2027-01-15T08:00:00Z",
        "2027-01-15 08:00:00Z", "2027-1-15T08:00:00Z", "2027/01/15T08:00:00Z", "2027-01-15T8:00:00Z",
        "2027-01-15T08:00:00.Z", "2027-01-15T08:00:00+0100", "2027-01-15T08:00:00+01", "2027-01-15T08:00:00z",
        "2027-01-15T08:00:00.1234567890Z", "2027-01-15T08:00:00+01:00Z", "+2027-01-15T08:00:00Z",
        "2027-01-15T08:00:0aZ", "2027-01-15T08:00:00.12aZ"})
    EXPECT_FALSE(parse_iso(bad)) << "'" << bad << "'";
  // Embedded NUL: the text is a string_view, not a C string.
  EXPECT_FALSE(parse_iso(std::string_view("2027-01-15T08:00:00Z\0x", 22)));
}

}  // namespace
}  // namespace slotlock
