// Every domain error has exactly one HTTP status and code (docs/api.md's table).

#include "http/error_mapping.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <string>
#include <tuple>
#include <vector>

#include "domain/lock.hpp"

namespace slotlock::unit {
namespace {

using status = boost::beast::http::status;

TEST(error_mapping, every_errc_has_the_documented_status_and_code) {
  const std::vector<std::tuple<errc, status, std::string>> documented{
      {errc::bad_request, status::bad_request, "BAD_REQUEST"},
      {errc::validation_failed, status::unprocessable_entity, "VALIDATION_FAILED"},
      {errc::unauthenticated, status::unauthorized, "UNAUTHENTICATED"},
      {errc::invalid_credentials, status::unauthorized, "INVALID_CREDENTIALS"},
      {errc::forbidden, status::forbidden, "FORBIDDEN"},
      {errc::not_found, status::not_found, "NOT_FOUND"},
      {errc::route_not_found, status::not_found, "NOT_FOUND"},
      {errc::method_not_allowed, status::method_not_allowed, "METHOD_NOT_ALLOWED"},
      {errc::payload_too_large, status::payload_too_large, "PAYLOAD_TOO_LARGE"},
      {errc::conflict, status::conflict, "CONFLICT"},
      {errc::version_conflict, status::conflict, "VERSION_CONFLICT"},
      {errc::lock_held, status::conflict, "LOCK_HELD"},
      {errc::lock_not_held, status::locked, "LOCK_NOT_HELD"},
      {errc::not_holder, status::conflict, "LOCK_NOT_HELD"},
      {errc::not_lock_owner, status::forbidden, "NOT_LOCK_OWNER"},
      {errc::not_locked, status::conflict, "NOT_LOCKED"},
      {errc::queue_full, status::conflict, "QUEUE_FULL"},
      {errc::not_connected, status::conflict, "NOT_CONNECTED"},
      {errc::lock_offered, status::conflict, "LOCK_OFFERED"},
      {errc::bad_message, status::bad_request, "BAD_MESSAGE"},
      {errc::frame_too_large, status::payload_too_large, "FRAME_TOO_LARGE"},
      {errc::room_full, status::service_unavailable, "ROOM_FULL"},
      {errc::too_many_sockets, status::too_many_requests, "TOO_MANY_SOCKETS"},
      {errc::session_ended, status::unauthorized, "SESSION_ENDED"},
      {errc::rate_limited, status::too_many_requests, "RATE_LIMITED"},
      {errc::store_unavailable, status::service_unavailable, "STORE_UNAVAILABLE"},
      {errc::busy, status::service_unavailable, "SERVER_BUSY"},
      {errc::internal, status::internal_server_error, "INTERNAL"},
  };
  // The list covers the enum: internal is its last member.
  ASSERT_EQ(documented.size(), static_cast<std::size_t>(errc::internal) + 1);
  for (const auto& [code, expected_status, expected_code] : documented) {
    const auto kind = classify(code);
    EXPECT_EQ(kind.status, expected_status) << expected_code;
    EXPECT_EQ(kind.code, expected_code);
  }
}

TEST(error_mapping, the_body_carries_the_details_a_client_acts_on) {
  auto e = make_error(errc::validation_failed, "Some fields need attention.");
  e.fields = {{"title", "is required"}};
  const auto body = error_body(e).at("error").as_object();
  EXPECT_EQ(body.at("code").as_string(), "VALIDATION_FAILED");
  EXPECT_EQ(body.at("fields").as_array().at(0).as_object().at("field").as_string(), "title");
  EXPECT_FALSE(body.contains("lock"));
  EXPECT_FALSE(body.contains("retryAfter"));

  auto held = make_error(errc::lock_held, "Alice is editing this appointment.");
  lock_record l;
  l.appointment_id = "a-1";
  l.holder = {"u-alice", "Alice", "alice@example.com"};
  l.fencing_token = 4;
  held.holder = std::make_shared<const lock_record>(l);
  const auto with_lock = error_body(held).at("error").as_object();
  EXPECT_EQ(with_lock.at("lock").as_object().at("fencingToken").as_int64(), 4);
  EXPECT_EQ(with_lock.at("lock").as_object().at("userId").as_string(), "u-alice");
}

}  // namespace
}  // namespace slotlock::unit
