#pragma once
// The project's error vocabulary. Every expected failure travels as an `error`
// value; the HTTP layer maps each `errc` to exactly one status and code
// (http/error_mapping.cpp).

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace slotlock {

// Only pointed to here, so that every unit that speaks errors does not recompile with them.
struct appointment;
struct lock_record;
struct lock_offer;

enum class errc {
  bad_request,        // malformed input, wrong types
  validation_failed,  // well-formed but invalid fields
  unauthenticated,
  invalid_credentials,
  forbidden,  // role does not allow the operation
  not_found,
  route_not_found,
  method_not_allowed,
  payload_too_large,
  conflict,  // e.g. e-mail already taken
  version_conflict,
  lock_held,
  lock_offered,   // the free lock is reserved for someone else for a while (409)
  lock_not_held,  // a save without the current lock (423)
  not_holder,     // a heartbeat or draft from someone who no longer holds the lock (409)
  not_lock_owner,
  not_locked,
  queue_full,
  not_connected,     // waiting in line without an open socket of the tab
  bad_message,       // WebSocket: a client frame that is not one of the protocol's
  frame_too_large,   // WebSocket: a client frame over 4 KiB
  room_full,         // WebSocket: the appointment has all the viewers it can take
  too_many_sockets,  // WebSocket: the user has all the sockets they may have
  session_ended,     // WebSocket: its sign-in ended (logout, disabled)
  rate_limited,
  store_unavailable,
  busy,  // too much work of one kind queued (sign-ins): try again in a moment
  internal,
};

struct field_error {
  std::string field;
  std::string message;
};

struct error {
  errc code = errc::internal;
  std::string message;
  std::vector<field_error> fields;             // validation_failed
  std::shared_ptr<const appointment> current;  // version_conflict
  std::shared_ptr<const lock_record> holder;   // lock_held
  std::shared_ptr<const lock_offer> offer;     // lock_offered
  std::optional<int> retry_after_seconds;      // rate_limited, busy
};

inline error make_error(errc code, std::string message) {
  error e;
  e.code = code;
  e.message = std::move(message);
  return e;
}

// A value or an error. Small on purpose: C++20 has no std::expected.
template <class T>
class result {
 public:
  result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  result(error err) : v_(std::move(err)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const error& err() const { return std::get<1>(v_); }
  error& err() { return std::get<1>(v_); }

 private:
  std::variant<T, error> v_;
};

// The store cannot do its work (disk, busy database, lost connection): 503 STORE_UNAVAILABLE.
// Thrown by the store (domain/store.hpp), so that no service has to pass it along by hand.
class store_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Too much at once, not broken: a write lost its race against other writers of the same rows
// time after time (contention), or the writer's queue is full. 503 SERVER_BUSY, try again.
class busy_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// For operations that return nothing on success.
struct ok_t {};
inline constexpr ok_t ok{};

}  // namespace slotlock
