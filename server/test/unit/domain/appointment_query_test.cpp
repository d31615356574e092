#include "domain/appointment_query.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "fixture.hpp"

namespace slotlock::unit {
namespace {

using params = std::multimap<std::string, std::string>;

query_values from(const params& p) {
  return [p](std::string_view name) {
    std::vector<std::string> out;
    const auto [b, e] = p.equal_range(std::string(name));
    for (auto it = b; it != e; ++it) out.push_back(it->second);
    return out;
  };
}

const time_point noon = *parse_iso("2027-03-10T12:34:56.000Z");

// The parameter a 400 names, in its message and its `fields`.
std::string named(const error& e) {
  EXPECT_EQ(e.code, errc::bad_request);
  EXPECT_EQ(e.fields.size(), 1u);
  return e.fields.empty() ? "" : e.fields[0].field;
}

TEST(list_query, without_parameters_lists_the_next_hundred_from_the_start_of_today_utc) {
  const auto q = read_list_query(from({}), noon);
  ASSERT_TRUE(succeeded(q));
  EXPECT_EQ(format_iso(q->from), "2027-03-10T00:00:00.000Z");
  EXPECT_FALSE(q->to);
  EXPECT_EQ(q->limit, 100);
  EXPECT_TRUE(q->text.empty());
  EXPECT_TRUE(q->statuses.empty());
  EXPECT_FALSE(q->after);
}

TEST(list_query, reads_every_parameter) {
  const auto q = read_list_query(from({{"from", "2027-03-01T00:00:00+01:00"},
                                       {"to", "2027-03-08T00:00:00Z"},
                                       {"q", "Canal"},
                                       {"status", "scheduled"},
                                       {"status", "confirmed"},
                                       {"status", "scheduled"},
                                       {"limit", "500"},
                                       {"cursor", "1800000000000.abc-123"}}),
                                 noon);
  ASSERT_TRUE(succeeded(q));
  EXPECT_EQ(format_iso(q->from), "2027-02-28T23:00:00.000Z");
  EXPECT_EQ(format_iso(*q->to), "2027-03-08T00:00:00.000Z");
  EXPECT_EQ(q->text, "Canal");
  EXPECT_EQ(q->statuses, (std::vector{appointment_status::scheduled, appointment_status::confirmed}));
  EXPECT_EQ(q->limit, 500);
  ASSERT_TRUE(q->after);
  EXPECT_EQ(to_millis(q->after->starts_at), 1800000000000);
  EXPECT_EQ(q->after->id, "abc-123");
}

TEST(list_query, every_bad_value_is_a_400_naming_its_parameter) {
  const std::vector<std::pair<params, std::string>> cases{
      {{{"from", "yesterday"}}, "from"},
      {{{"to", "2027-13-01T00:00:00Z"}}, "to"},
      {{{"from", "2027-03-10T00:00:00Z"}, {"to", "2027-03-10T00:00:00Z"}}, "to"},
      {{{"to", "2027-03-09T00:00:00Z"}}, "to"},  // before the default start
      {{{"from", "2027-03-10T00:00:00Z"}, {"from", "2027-03-11T00:00:00Z"}}, "from"},
      {{{"q", std::string(201, 'x')}}, "q"},
      {{{"status", "pending"}}, "status"},
      {{{"status", ""}}, "status"},
      {{{"limit", "0"}}, "limit"},
      {{{"limit", "501"}}, "limit"},
      {{{"limit", "ten"}}, "limit"},
      {{{"limit", "10.5"}}, "limit"},
      {{{"limit", "-1"}}, "limit"},
      {{{"cursor", "x"}}, "cursor"},
      {{{"cursor", "12.a/b"}}, "cursor"},
      {{{"cursor", "twelve.abc"}}, "cursor"},
      {{{"cursor", "12."}}, "cursor"},
  };
  for (const auto& [p, name] : cases) {
    const auto q = read_list_query(from(p), noon);
    ASSERT_FALSE(q.has_value()) << name;
    EXPECT_EQ(named(q.err()), name);
    EXPECT_NE(q.err().message.find(name), std::string::npos) << q.err().message;
  }
}

TEST(list_query, a_blank_search_is_no_search_and_200_characters_are_allowed) {
  EXPECT_TRUE(read_list_query(from({{"q", "   "}}), noon)->text.empty());
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "\u00e9";  // 200 characters, 400 bytes
  EXPECT_TRUE(succeeded(read_list_query(from({{"q", long_text}}), noon)));
}

TEST(list_query, a_cursor_reads_back_what_was_written) {
  const list_position p{from_millis(1800000123456), "0f3a9c"};
  const auto back = decode_cursor(encode_cursor(p));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->starts_at, p.starts_at);
  EXPECT_EQ(back->id, p.id);
}

TEST(conflict_query, needs_a_time_span_of_at_most_a_day) {
  const auto q = read_conflict_query(from({{"startsAt", "2027-03-10T09:00:00Z"},
                                           {"endsAt", "2027-03-10T09:30:00Z"},
                                           {"location", "Room 2"},
                                           {"excludeId", "a1"}}));
  ASSERT_TRUE(succeeded(q));
  EXPECT_EQ(q->location, "Room 2");
  EXPECT_EQ(q->exclude_id, "a1");
  EXPECT_EQ(named(read_conflict_query(from({{"endsAt", "2027-03-10T09:30:00Z"}})).err()), "startsAt");
  EXPECT_EQ(named(read_conflict_query(from({{"startsAt", "2027-03-10T09:30:00Z"}})).err()), "endsAt");
  EXPECT_EQ(
      named(
          read_conflict_query(from({{"startsAt", "2027-03-10T09:30:00Z"}, {"endsAt", "2027-03-10T09:00:00Z"}})).err()),
      "endsAt");
  EXPECT_EQ(
      named(
          read_conflict_query(from({{"startsAt", "2027-03-10T09:30:00Z"}, {"endsAt", "2027-03-12T09:00:00Z"}})).err()),
      "endsAt");
  EXPECT_EQ(named(read_conflict_query(from({{"startsAt", "2027-03-10T09:00:00Z"},
                                            {"endsAt", "2027-03-10T09:30:00Z"},
                                            {"location", std::string(201, 'r')}}))
                      .err()),
            "location");
}

}  // namespace
}  // namespace slotlock::unit
