#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/time.hpp"
#include "domain/user.hpp"

namespace slotlock {

// The holder's pointer, 0..1 of the form.
struct pointer_position {
  double x = 0;
  double y = 0;
};

// AppointmentLock of the contract (PRODUCT.md section 2).
struct lock_record {
  std::string appointment_id;
  user_ref holder;
  enum role holder_role = role::user;  // not part of the API; decides who may take over
  std::string session_id;              // the browser tab that holds it
  time_point acquired_at{};
  time_point last_activity_at{};
  time_point expires_at{};
  std::int64_t fencing_token = 0;
  std::optional<pointer_position> position;
};

// A caller waiting for a lock.
struct queue_entry {
  std::string appointment_id;
  user_ref who;
  enum role role = role::user;
  std::string session_id;
  time_point enqueued_at{};
};

// An admin asking the holder for control. It lapses when the lock changes
// hands; at its deadline the admin gets the lock unless the holder has been
// active since the request.
struct control_request {
  std::string appointment_id;
  user_ref admin;
  std::string admin_session_id;
  time_point requested_at{};
  time_point deadline{};
  std::int64_t holder_token = 0;  // the lock it was asked of
  bool admin_may_take = true;     // false once the admin is disabled or no longer an admin
};

// The free lock reserved for the head of the line until `deadline`: only `who` may take it
// (from any of their tabs); no answer in time passes it to the next in line.
struct lock_offer {
  std::string appointment_id;
  user_ref who;
  enum role role = role::user;
  std::string session_id;  // the tab that waited
  time_point offered_at{};
  time_point deadline{};
};

}  // namespace slotlock
