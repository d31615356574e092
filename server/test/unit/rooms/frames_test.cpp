#include "rooms/frames.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <cmath>
#include <regex>
#include <set>

namespace slotlock {
namespace {

frame_error error_of(std::string_view text) {
  auto parsed = parse_client_frame(text);
  EXPECT_TRUE(std::holds_alternative<frame_error>(parsed)) << text;
  return std::holds_alternative<frame_error>(parsed) ? std::get<frame_error>(parsed) : frame_error{};
}

TEST(parse_client_frame, accepts_the_three_client_frames) {
  auto cursor = parse_client_frame(R"({"type":"cursor","x":0.25,"y":1})");
  ASSERT_TRUE(std::holds_alternative<client_frame>(cursor));
  const auto& c = std::get<cursor_frame>(std::get<client_frame>(cursor));
  EXPECT_DOUBLE_EQ(c.x, 0.25);
  EXPECT_DOUBLE_EQ(c.y, 1.0);
  EXPECT_TRUE(
      std::holds_alternative<activity_frame>(std::get<client_frame>(parse_client_frame(R"({"type":"activity"})"))));
  EXPECT_TRUE(std::holds_alternative<ping_frame>(std::get<client_frame>(parse_client_frame(R"({"type":"ping"})"))));
}

TEST(parse_client_frame, refuses_anything_else_with_a_reason) {
  for (const char* bad : {"", "not json", "[]", "42", R"({"x":0.5})", R"({"type":5})", R"({"type":"shout"})",
                          R"({"type":"cursor","x":0.5})", R"({"type":"cursor","x":"0.5","y":0.5})",
                          R"({"type":"cursor","x":1.5,"y":0.5})", R"({"type":"cursor","x":-0.1,"y":0.5})",
                          R"({"type":"cursor","x":0.5,"y":0.5,"z":1})", R"({"type":"activity","lock":true})",
                          R"({"type":"ping","n":1})"}) {
    const auto e = error_of(bad);
    EXPECT_EQ(e.code, errc::bad_message) << bad;
    EXPECT_FALSE(e.message.empty()) << bad;
  }
}

TEST(parse_client_frame, a_frame_over_4_kib_is_too_large) {
  std::string big = R"({"type":"ping","pad":")" + std::string(5000, 'x') + "\"}";
  EXPECT_EQ(error_of(big).code, errc::frame_too_large);
}

TEST(color_for, is_stable_and_a_css_hex_colour) {
  const std::regex hex("#[0-9a-f]{6}");
  for (const char* id : {"a", "622317e5-9647-4097-bae4-76f8c182d5fd", ""}) {
    EXPECT_EQ(color_for(id), color_for(id));
    EXPECT_TRUE(std::regex_match(color_for(id), hex)) << color_for(id);
  }
}

TEST(color_for, every_colour_keeps_white_text_readable) {
  // WCAG AA for the white name tags drawn on it: at least 4.5:1, whatever the hue.
  const auto channel = [](const std::string& hex, int i) {
    const double v = std::stoi(hex.substr(1 + 2 * i, 2), nullptr, 16) / 255.0;
    return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  for (int i = 0; i < 3000; ++i) {
    const auto c = color_for("user-" + std::to_string(i));
    const double lum = 0.2126 * channel(c, 0) + 0.7152 * channel(c, 1) + 0.0722 * channel(c, 2);
    EXPECT_GE(1.05 / (lum + 0.05), 4.5) << c;
  }
}

TEST(color_for, rarely_gives_two_people_the_same_colour) {
  std::set<std::string> colours;
  for (int i = 0; i < 20; ++i) colours.insert(color_for("user-" + std::to_string(i)));
  EXPECT_GE(colours.size(), 18u);  // a 12-colour palette would give at most 12
}

TEST(with_seq, prefixes_a_shared_body_with_the_connections_seq) {
  const auto body = render_pong("2026-11-28T09:30:00.000Z");
  const auto text = with_seq(7, *body);
  const auto doc = boost::json::parse(text).as_object();
  EXPECT_EQ(doc.at("seq").as_int64(), 7);
  EXPECT_EQ(doc.at("type").as_string(), "pong");
  EXPECT_EQ(doc.at("serverTime").as_string(), "2026-11-28T09:30:00.000Z");
}

TEST(render_cursors, joins_cursor_objects_into_one_frame) {
  auto a = std::make_shared<const std::string>(render_cursor({"u1", "s1", "Alice", "#123456", 0.1, 0.2}));
  auto b = std::make_shared<const std::string>(render_cursor({"u2", "s2", "Bob", "#654321", 0.3, 0.4}));
  const auto doc = boost::json::parse(with_seq(1, *render_cursors({a, b}))).as_object();
  ASSERT_EQ(doc.at("cursors").as_array().size(), 2u);
  EXPECT_EQ(doc.at("cursors").as_array()[1].as_object().at("name").as_string(), "Bob");
}

TEST(make_cursor_batch, renders_the_frame_once_and_keeps_the_objects_for_merging) {
  auto a = std::make_shared<const std::string>(render_cursor({"u1", "s1", "Alice", "#123456", 0.1, 0.2}));
  auto b = std::make_shared<const std::string>(render_cursor({"u2", "s2", "Bob", "#654321", 0.3, 0.4}));
  const auto batch = make_cursor_batch({{{"u1", "s1"}, a}, {{"u2", "s2"}, b}});
  EXPECT_EQ(*batch->frame, *render_cursors({a, b}));
  ASSERT_EQ(batch->objects.size(), 2u);
  EXPECT_EQ(batch->objects[1].second, b) << "the objects are shared, not copied";
  // Written as two buffers: the socket's own prefix, then the shared body.
  const auto doc = boost::json::parse(seq_prefix(9) + *batch->frame).as_object();
  EXPECT_EQ(doc.at("seq").as_int64(), 9);
  EXPECT_EQ(doc.at("cursors").as_array().size(), 2u);
}

}  // namespace
}  // namespace slotlock
