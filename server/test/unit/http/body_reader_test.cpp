// The strict reader of request bodies: the first problem is kept and named, nothing is guessed.

#include <gtest/gtest.h>

#include <string>

#include "http/json_io.hpp"

namespace slotlock::unit {
namespace {

TEST(body_reader, reads_members_of_their_type) {
  body_reader b(R"({"sessionId":"tab-1","queue":true,"version":3,"note":"x"})");
  EXPECT_EQ(b.text("sessionId", true), "tab-1");
  EXPECT_TRUE(b.flag("queue"));
  EXPECT_FALSE(b.flag("takeover")) << "an absent flag is false";
  EXPECT_EQ(b.integer("version"), 3);
  EXPECT_EQ(b.optional_text("note"), "x");
  EXPECT_EQ(b.optional_text("absent"), std::nullopt);
  EXPECT_EQ(b.optional_integer("absent"), std::nullopt);
  EXPECT_TRUE(b.ok());
}

TEST(body_reader, an_empty_body_is_an_empty_object) {
  body_reader b("");
  EXPECT_FALSE(b.flag("force"));
  EXPECT_TRUE(b.ok());
}

std::string problem_of(const std::string& body, void (*read)(body_reader&)) {
  body_reader b(body);
  read(b);
  EXPECT_FALSE(b.ok()) << body;
  if (b.ok()) return "";
  EXPECT_EQ(b.problem().code, errc::bad_request) << body;
  return b.problem().message;
}

TEST(body_reader, names_the_first_problem) {
  EXPECT_NE(problem_of("{not json", [](body_reader& b) { b.text("sessionId", true); }), "");
  EXPECT_NE(problem_of("[1,2]", [](body_reader& b) { b.text("sessionId", true); }), "");
  const auto missing = problem_of("{}", [](body_reader& b) { b.text("sessionId", true); });
  EXPECT_NE(missing.find("sessionId"), std::string::npos) << missing;
  const auto wrong = problem_of(R"({"queue":"yes"})", [](body_reader& b) { b.flag("queue"); });
  EXPECT_NE(wrong.find("queue"), std::string::npos) << wrong;
  const auto not_int = problem_of(R"({"version":1.5})", [](body_reader& b) { b.integer("version"); });
  EXPECT_NE(not_int.find("version"), std::string::npos) << not_int;
  const auto text_not_number = problem_of(R"({"email":5})", [](body_reader& b) { b.text("email", true); });
  EXPECT_NE(text_not_number.find("email"), std::string::npos) << text_not_number;
}

TEST(body_reader, keeps_the_first_problem_and_reads_defaults_after_it) {
  body_reader b(R"({"version":"three","sessionId":"tab-1"})");
  EXPECT_EQ(b.integer("version"), 0);
  EXPECT_EQ(b.text("sessionId", true), "") << "after a problem every read is a default";
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.problem().message.find("version"), std::string::npos) << b.problem().message;
}

TEST(body_reader, an_appointment_needs_every_editable_member) {
  body_reader b(R"({"title":"Dentist","clientName":"Pat","clientEmail":"pat@example.com",
                    "startsAt":"2027-01-01T09:00:00Z","endsAt":"2027-01-01T10:00:00Z","location":"Room 1",
                    "notes":"","status":"scheduled"})");
  const auto a = read_appointment(b);
  EXPECT_TRUE(b.ok());
  EXPECT_EQ(a.title, "Dentist");
  EXPECT_EQ(a.status, "scheduled");

  body_reader missing(R"({"title":"Dentist"})");
  (void)read_appointment(missing);
  EXPECT_FALSE(missing.ok()) << "a missing member is the client's bug (400), not an empty field (422)";
}

}  // namespace
}  // namespace slotlock::unit
