#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/time.hpp"
#include "domain/user.hpp"

namespace slotlock {

enum class audit_action {
  acquired,
  released,
  expired,
  granted,
  control_requested,
  control_handed_over,
  taken_over,
  force_released,
  offered,         // the lock was free and offered to the head of the line
  offer_declined,  // they passed
  offer_expired,   // they did not answer in time
  deleted,         // the appointment was deleted (by its holder)
};

std::string_view to_string(audit_action a);
std::optional<audit_action> parse_audit_action(std::string_view s);

// One row of the audit trail. Rows are appended, never updated or deleted.
struct audit_entry {
  std::int64_t id = 0;  // assigned by the store
  time_point at{};
  std::string appointment_id;
  audit_action action = audit_action::acquired;
  std::optional<user_ref> actor;  // absent for the system (expiry)
  std::optional<user_ref> previous_holder;
  std::string reason;  // user, disconnect, expiry, force, takeover, queue, ...
};

struct audit_filter {
  std::optional<std::string> appointment_id;
  std::optional<std::string> actor_id;
  std::optional<audit_action> action;
  std::optional<std::int64_t> before_id;  // pagination: rows with id < before_id
  int limit = 50;
};

}  // namespace slotlock
