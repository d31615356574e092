#include "http/negotiation.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string_view>

namespace slotlock::unit {
namespace {

constexpr auto identity = content_coding::identity;
constexpr auto gzip = content_coding::gzip;
constexpr auto br = content_coding::br;

content_coding both(std::optional<std::string_view> header) { return choose_coding(header, true, true); }

TEST(choose_coding, no_header_or_an_empty_one_gets_the_file_itself) {
  EXPECT_EQ(both(std::nullopt), identity);
  EXPECT_EQ(both(""), identity);
  EXPECT_EQ(both(" , ,"), identity);
}

TEST(choose_coding, br_before_gzip_at_equal_q_and_case_does_not_matter) {
  EXPECT_EQ(both("gzip, deflate, br, zstd"), br);
  EXPECT_EQ(both("GZip, BR"), br);
  EXPECT_EQ(both("gzip;q=0.5, br;q=0.500"), br);
  EXPECT_EQ(both("gzip"), gzip);
  EXPECT_EQ(both("x-gzip"), gzip);
}

TEST(choose_coding, q_values_rank_and_zero_refuses) {
  EXPECT_EQ(both("gzip;q=1.0, br;q=0.5"), gzip);
  EXPECT_EQ(both("br;q=0, gzip"), gzip);
  EXPECT_EQ(both("br ; Q=0 , gzip ; q=0.8"), gzip);
  EXPECT_EQ(both("br;q=0, gzip;q=0"), identity);
  EXPECT_EQ(both("br;q=0.001"), br);  // identity, unnamed, comes last
  EXPECT_EQ(both("gzip;q=0.5, identity"), identity);
  EXPECT_EQ(both("identity"), identity);
}

TEST(choose_coding, star_covers_what_is_not_named) {
  EXPECT_EQ(both("*"), br);
  EXPECT_EQ(both("*, br;q=0"), gzip);
  EXPECT_EQ(both("*;q=0"), identity);
  EXPECT_EQ(both("*;q=0.5, identity"), identity);
}

TEST(choose_coding, malformed_elements_say_nothing) {
  EXPECT_EQ(both("br;q=2, gzip;q=abc"), identity);
  EXPECT_EQ(both("br;q=0.1234, gzip;q=1.5"), identity);
  EXPECT_EQ(both("br;q, gzip"), gzip);
  EXPECT_EQ(both("br;level=5"), br);  // an unknown parameter is no fault
}

TEST(choose_coding, a_refusal_named_twice_stands) {
  EXPECT_EQ(both("br, br;q=0"), identity);
  EXPECT_EQ(both("br;q=0, br"), identity);
}

TEST(choose_coding, only_copies_that_exist) {
  EXPECT_EQ(choose_coding("br, gzip", false, true), gzip);
  EXPECT_EQ(choose_coding("br", false, true), identity);
  EXPECT_EQ(choose_coding("br, gzip", false, false), identity);
}

TEST(none_match, exact_weak_listed_and_star) {
  constexpr std::string_view tag = R"("1a-2b-br")";
  EXPECT_TRUE(none_match(R"("1a-2b-br")", tag));
  EXPECT_TRUE(none_match(R"(W/"1a-2b-br")", tag));
  EXPECT_TRUE(none_match(R"("x", "1a-2b-br")", tag));
  EXPECT_TRUE(none_match(R"("x",W/"y" ,  "1a-2b-br")", tag));
  EXPECT_TRUE(none_match("*", tag));
}

TEST(none_match, anything_else_does_not_match) {
  constexpr std::string_view tag = R"("1a-2b-br")";
  EXPECT_FALSE(none_match("", tag));
  EXPECT_FALSE(none_match(R"("1a-2b")", tag));
  EXPECT_FALSE(none_match("1a-2b-br", tag));
  EXPECT_FALSE(none_match(R"("x", garbage "1a-2b-br")", tag));
  EXPECT_FALSE(none_match(R"("1a-2b-br)", tag));
  EXPECT_FALSE(none_match(R"(w/"1a-2b-br")", tag));  // W/ is case-sensitive
}

}  // namespace
}  // namespace slotlock::unit
