#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/time.hpp"
#include "domain/user.hpp"

namespace slotlock {

enum class appointment_status { scheduled, confirmed, cancelled };

std::string_view to_string(appointment_status s);
std::optional<appointment_status> parse_appointment_status(std::string_view s);

// No appointment lasts longer: the double-booking check relies on it.
inline constexpr auto max_appointment_length = std::chrono::hours(24);

// What a person edits.
struct appointment_fields {
  std::string title;
  std::string client_name;
  std::string client_email;
  time_point starts_at{};
  time_point ends_at{};
  std::string location;
  std::string notes;
  appointment_status status = appointment_status::scheduled;
};

struct appointment {
  std::string id;
  appointment_fields fields;
  std::int64_t version = 1;
  time_point updated_at{};
  user_ref updated_by;
  // A deleted appointment is a tombstone: kept for its audit and history, never listed.
  std::optional<time_point> deleted_at;
};

// Where a page of the list starts: after this appointment in (starts_at, id) order.
struct list_position {
  time_point starts_at{};
  std::string id;
};

// A page of the appointment list, in (starts_at, id) order. Tombstones are never listed.
struct appointment_query {
  time_point from{};                         // starts_at >= from
  std::optional<time_point> to;              // starts_at < to
  std::string text;                          // case-insensitive substring of the searchable fields; empty: all
  std::vector<appointment_status> statuses;  // any of them; empty: all
  std::optional<list_position> after;
  int limit = 100;
};

// Other appointments in `location` whose time overlaps [starts_at, ends_at).
struct conflict_query {
  std::string location;
  time_point starts_at{};
  time_point ends_at{};
  std::string exclude_id;
  int limit = 20;
};

// One field of a saved version: its text before and after (nullopt: none, at creation).
struct field_change {
  std::string field;  // the API's name
  std::optional<std::string> from;
  std::optional<std::string> to;
};

// One saved version of an appointment: who saved it, when, and what changed.
struct history_entry {
  std::string appointment_id;
  std::int64_t version = 1;
  time_point at{};
  user_ref by;
  std::vector<field_change> changes;
};

// What changed from `before` to `after`, field by field in the API's order and names;
// without `before` (creation), every field.
std::vector<field_change> changes_between(const appointment_fields* before, const appointment_fields& after);

}  // namespace slotlock
