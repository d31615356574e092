#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"
#include "domain/user.hpp"

namespace slotlock {

enum class appointment_status { scheduled, confirmed, cancelled };

std::string_view to_string(appointment_status s);
std::optional<appointment_status> parse_appointment_status(std::string_view s);

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
};

}  // namespace slotlock
