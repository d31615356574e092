// The history of an appointment: each saved version, field by field.

#include <array>

#include "domain/appointment.hpp"

namespace slotlock {

namespace {

// A field as history shows it: times as ISO instants, the status by name.
using field_text = std::string (*)(const appointment_fields&);

constexpr std::array<std::pair<std::string_view, field_text>, 8> history_fields{{
    {"title", [](const appointment_fields& f) { return f.title; }},
    {"clientName", [](const appointment_fields& f) { return f.client_name; }},
    {"clientEmail", [](const appointment_fields& f) { return f.client_email; }},
    {"startsAt", [](const appointment_fields& f) { return format_iso(f.starts_at); }},
    {"endsAt", [](const appointment_fields& f) { return format_iso(f.ends_at); }},
    {"location", [](const appointment_fields& f) { return f.location; }},
    {"notes", [](const appointment_fields& f) { return f.notes; }},
    {"status", [](const appointment_fields& f) { return std::string(to_string(f.status)); }},
}};

}  // namespace

std::vector<field_change> changes_between(const appointment_fields* before, const appointment_fields& after) {
  std::vector<field_change> out;
  for (const auto& [name, text] : history_fields) {
    auto to = text(after);
    if (!before) {
      out.push_back({std::string(name), std::nullopt, std::move(to)});
      continue;
    }
    auto from = text(*before);
    if (from != to) out.push_back({std::string(name), std::move(from), std::move(to)});
  }
  return out;
}

}  // namespace slotlock
