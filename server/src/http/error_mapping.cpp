#include "http/error_mapping.hpp"

#include "http/json_io.hpp"

namespace slotlock {

using boost::beast::http::status;

http_error_kind classify(errc code) {
  switch (code) {
    case errc::bad_request: return {status::bad_request, "BAD_REQUEST"};
    case errc::validation_failed: return {status::unprocessable_entity, "VALIDATION_FAILED"};
    case errc::unauthenticated: return {status::unauthorized, "UNAUTHENTICATED"};
    case errc::invalid_credentials: return {status::unauthorized, "INVALID_CREDENTIALS"};
    case errc::forbidden: return {status::forbidden, "FORBIDDEN"};
    case errc::not_found: return {status::not_found, "NOT_FOUND"};
    case errc::route_not_found: return {status::not_found, "NOT_FOUND"};
    case errc::method_not_allowed: return {status::method_not_allowed, "METHOD_NOT_ALLOWED"};
    case errc::payload_too_large: return {status::payload_too_large, "PAYLOAD_TOO_LARGE"};
    case errc::conflict: return {status::conflict, "CONFLICT"};
    case errc::version_conflict: return {status::conflict, "VERSION_CONFLICT"};
    case errc::lock_held: return {status::conflict, "LOCK_HELD"};
    case errc::lock_offered: return {status::conflict, "LOCK_OFFERED"};
    case errc::lock_not_held: return {status::locked, "LOCK_NOT_HELD"};
    case errc::not_holder: return {status::conflict, "LOCK_NOT_HELD"};
    case errc::not_lock_owner: return {status::forbidden, "NOT_LOCK_OWNER"};
    case errc::not_locked: return {status::conflict, "NOT_LOCKED"};
    case errc::queue_full: return {status::conflict, "QUEUE_FULL"};
    case errc::not_connected: return {status::conflict, "NOT_CONNECTED"};
    case errc::bad_message: return {status::bad_request, "BAD_MESSAGE"};
    case errc::frame_too_large: return {status::payload_too_large, "FRAME_TOO_LARGE"};
    case errc::room_full: return {status::service_unavailable, "ROOM_FULL"};
    case errc::too_many_sockets: return {status::too_many_requests, "TOO_MANY_SOCKETS"};
    case errc::session_ended: return {status::unauthorized, "SESSION_ENDED"};
    case errc::rate_limited: return {status::too_many_requests, "RATE_LIMITED"};
    case errc::store_unavailable: return {status::service_unavailable, "STORE_UNAVAILABLE"};
    case errc::busy: return {status::service_unavailable, "SERVER_BUSY"};
    case errc::internal: return {status::internal_server_error, "INTERNAL"};
  }
  return {status::internal_server_error, "INTERNAL"};
}

boost::json::object error_body(const error& e) {
  boost::json::object inner;
  inner["code"] = classify(e.code).code;
  inner["message"] = e.message;
  if (!e.fields.empty()) {
    boost::json::array fields;
    for (const auto& f : e.fields) fields.push_back(boost::json::object{{"field", f.field}, {"message", f.message}});
    inner["fields"] = std::move(fields);
  }
  if (e.current) inner["current"] = to_json(*e.current);
  if (e.holder) inner["lock"] = to_json(*e.holder);
  if (e.offer) inner["offer"] = to_json(*e.offer);
  if (e.retry_after_seconds) inner["retryAfter"] = *e.retry_after_seconds;
  return boost::json::object{{"error", std::move(inner)}};
}

}  // namespace slotlock
