#include "domain/appointment_query.hpp"

#include <algorithm>
#include <charconv>

#include "domain/text.hpp"

namespace slotlock {

namespace {

error bad_parameter(const std::string& name, const std::string& message) {
  auto e = make_error(errc::bad_request, name + " " + message + ".");
  e.fields.push_back({name, message});
  return e;
}

// The one value of a parameter that may appear once; nullopt when absent.
result<std::optional<std::string>> single(const query_values& get, const std::string& name) {
  auto values = get(name);
  if (values.empty()) return std::optional<std::string>{};
  if (values.size() > 1) return bad_parameter(name, "may be given only once");
  return std::optional<std::string>(std::move(values.front()));
}

result<std::optional<time_point>> instant(const query_values& get, const std::string& name) {
  auto text = single(get, name);
  if (!text) return std::move(text.err());
  if (!*text) return std::optional<time_point>{};
  auto t = parse_iso(**text);
  if (!t) return bad_parameter(name, "must be a date and time like 2026-11-28T09:30:00Z");
  return std::optional<time_point>(*t);
}

std::optional<std::int64_t> whole_number(std::string_view s) {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

bool id_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::string encode_cursor(const list_position& p) { return std::to_string(to_millis(p.starts_at)) + "." + p.id; }

std::optional<list_position> decode_cursor(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto millis = whole_number(text.substr(0, dot));
  const auto id = text.substr(dot + 1);
  if (!millis || id.empty() || id.size() > 64 || !std::all_of(id.begin(), id.end(), id_character)) return std::nullopt;
  return list_position{from_millis(*millis), std::string(id)};
}

result<appointment_query> read_list_query(const query_values& get, time_point now) {
  appointment_query q;
  auto from = instant(get, "from");
  if (!from) return std::move(from.err());
  auto to = instant(get, "to");
  if (!to) return std::move(to.err());
  q.from = from->value_or(std::chrono::floor<std::chrono::days>(now));
  q.to = *to;
  if (q.to && *q.to <= q.from) return bad_parameter("to", "must be after from (or after the start of today)");

  auto text = single(get, "q");
  if (!text) return std::move(text.err());
  if (*text) {
    if (characters(**text) > max_search_text)
      return bad_parameter("q", "must be at most " + std::to_string(max_search_text) + " characters");
    if (!blank(**text)) q.text = **text;
  }

  for (const auto& s : get("status")) {
    const auto status = parse_appointment_status(s);
    if (!status) return bad_parameter("status", "must be scheduled, confirmed or cancelled");
    if (std::find(q.statuses.begin(), q.statuses.end(), *status) == q.statuses.end()) q.statuses.push_back(*status);
  }

  auto limit = single(get, "limit");
  if (!limit) return std::move(limit.err());
  q.limit = default_page_size;
  if (*limit) {
    const auto n = whole_number(**limit);
    if (!n || *n < 1 || *n > max_page_size)
      return bad_parameter("limit", "must be a whole number from 1 to " + std::to_string(max_page_size));
    q.limit = static_cast<int>(*n);
  }

  auto cursor = single(get, "cursor");
  if (!cursor) return std::move(cursor.err());
  if (*cursor) {
    q.after = decode_cursor(**cursor);
    if (!q.after) return bad_parameter("cursor", "is not a cursor this server gave out");
  }
  return q;
}

result<conflict_query> read_conflict_query(const query_values& get) {
  conflict_query q;
  auto starts = instant(get, "startsAt");
  if (!starts) return std::move(starts.err());
  auto ends = instant(get, "endsAt");
  if (!ends) return std::move(ends.err());
  if (!*starts) return bad_parameter("startsAt", "is required");
  if (!*ends) return bad_parameter("endsAt", "is required");
  if (**ends <= **starts) return bad_parameter("endsAt", "must be after startsAt");
  if (**ends - **starts > max_appointment_length) return bad_parameter("endsAt", "must be within 24 hours of startsAt");
  q.starts_at = **starts;
  q.ends_at = **ends;
  auto location = single(get, "location");
  if (!location) return std::move(location.err());
  q.location = location->value_or("");
  if (characters(q.location) > 200) return bad_parameter("location", "must be at most 200 characters");
  auto exclude = single(get, "excludeId");
  if (!exclude) return std::move(exclude.err());
  q.exclude_id = exclude->value_or("");
  return q;
}

}  // namespace slotlock
