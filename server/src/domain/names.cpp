// The names of the domain's enumerations, as they appear in the API and the store.
#include <array>
#include <utility>

#include "domain/appointment.hpp"
#include "domain/audit.hpp"
#include "domain/user.hpp"

namespace slotlock {

namespace {

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
  for (const auto& [value, name] : table)
    if (name == s) return value;
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table)
    if (value == e) return name;
  return "unknown";
}

constexpr std::array<std::pair<role, std::string_view>, 2> role_names{{
    {role::user, "user"},
    {role::admin, "admin"},
}};

constexpr std::array<std::pair<appointment_status, std::string_view>, 3> status_names{{
    {appointment_status::scheduled, "scheduled"},
    {appointment_status::confirmed, "confirmed"},
    {appointment_status::cancelled, "cancelled"},
}};

constexpr std::array<std::pair<audit_action, std::string_view>, 12> action_names{{
    {audit_action::acquired, "acquired"},
    {audit_action::released, "released"},
    {audit_action::expired, "expired"},
    {audit_action::granted, "granted"},
    {audit_action::control_requested, "control_requested"},
    {audit_action::control_handed_over, "control_handed_over"},
    {audit_action::taken_over, "taken_over"},
    {audit_action::force_released, "force_released"},
    {audit_action::offered, "offered"},
    {audit_action::offer_declined, "offer_declined"},
    {audit_action::offer_expired, "offer_expired"},
    {audit_action::deleted, "deleted"},
}};

}  // namespace

std::string_view to_string(role r) { return name_of(role_names, r); }
std::optional<role> parse_role(std::string_view s) { return lookup(role_names, s); }

std::string_view to_string(appointment_status s) { return name_of(status_names, s); }
std::optional<appointment_status> parse_appointment_status(std::string_view s) { return lookup(status_names, s); }

std::string_view to_string(audit_action a) { return name_of(action_names, a); }
std::optional<audit_action> parse_audit_action(std::string_view s) { return lookup(action_names, s); }

}  // namespace slotlock
