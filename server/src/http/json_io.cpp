#include "http/json_io.hpp"

#include <boost/json/parse.hpp>

namespace slotlock {

namespace json = boost::json;

json::object to_json(const user_ref& u) { return {{"id", u.id}, {"name", u.name}, {"email", u.email}}; }

json::object to_json(const user& u) {
  return {{"id", u.id}, {"name", u.name}, {"email", u.email}, {"role", to_string(u.role)}, {"disabled", u.disabled}};
}

json::object to_json(const appointment& a) {
  const auto& f = a.fields;
  return {{"id", a.id},
          {"title", f.title},
          {"clientName", f.client_name},
          {"clientEmail", f.client_email},
          {"startsAt", format_iso(f.starts_at)},
          {"endsAt", format_iso(f.ends_at)},
          {"location", f.location},
          {"notes", f.notes},
          {"status", to_string(f.status)},
          {"version", a.version},
          {"updatedAt", format_iso(a.updated_at)},
          {"updatedBy", to_json(a.updated_by)}};
}

json::object to_json(const lock_record& l) {
  json::object o{{"appointmentId", l.appointment_id},
                 {"userId", l.holder.id},
                 {"userInfo", json::object{{"name", l.holder.name}, {"email", l.holder.email}}},
                 {"sessionId", l.session_id},
                 {"acquiredAt", format_iso(l.acquired_at)},
                 {"lastActivityAt", format_iso(l.last_activity_at)},
                 {"expiresAt", format_iso(l.expires_at)},
                 {"fencingToken", l.fencing_token}};
  if (l.position)
    o["position"] = json::object{{"x", l.position->x}, {"y", l.position->y}};
  else
    o["position"] = nullptr;
  return o;
}

json::value to_json(const std::optional<lock_record>& l) {
  if (!l) return nullptr;
  return to_json(*l);
}

json::object to_json(const queue_entry& q) {
  return {{"userId", q.who.id}, {"name", q.who.name}, {"role", to_string(q.role)}};
}

json::object to_json(const lock_offer& o) {
  return {{"appointmentId", o.appointment_id},
          {"userId", o.who.id},
          {"name", o.who.name},
          {"email", o.who.email},
          {"sessionId", o.session_id},
          {"deadline", format_iso(o.deadline)}};
}

json::object to_json(const history_entry& h) {
  json::array changes;
  for (const auto& c : h.changes)
    changes.push_back(json::object{{"field", c.field},
                                   {"from", c.from ? json::value(*c.from) : json::value(nullptr)},
                                   {"to", c.to ? json::value(*c.to) : json::value(nullptr)}});
  return {{"version", h.version},
          {"at", format_iso(h.at)},
          {"by", json::object{{"userId", h.by.id}, {"name", h.by.name}, {"email", h.by.email}}},
          {"changes", std::move(changes)}};
}

json::object to_json(const audit_entry& a) {
  json::object o{{"id", a.id},
                 {"at", format_iso(a.at)},
                 {"appointmentId", a.appointment_id},
                 {"action", to_string(a.action)},
                 {"reason", a.reason}};
  o["actor"] = a.actor ? json::value(to_json(*a.actor)) : json::value(nullptr);
  o["previousHolder"] = a.previous_holder ? json::value(to_json(*a.previous_holder)) : json::value(nullptr);
  return o;
}

body_reader::body_reader(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    doc_ = json::object{};
    return;
  }
  boost::system::error_code ec;
  doc_ = json::parse(body, ec);
  if (ec)
    fail("The request body is not valid JSON.");
  else if (!doc_.is_object())
    fail("The request body must be a JSON object.");
}

void body_reader::fail(std::string message) {
  if (!problem_) problem_ = make_error(errc::bad_request, std::move(message));
}

const json::value* body_reader::member(std::string_view key, bool required) {
  if (problem_) return nullptr;
  const auto* v = doc_.as_object().if_contains(key);
  if (v && v->is_null()) v = nullptr;
  if (!v && required) fail("The member \"" + std::string(key) + "\" is required.");
  return v;
}

std::string body_reader::text(std::string_view key, bool required) {
  if (required && !member(key, true)) return {};
  return optional_text(key).value_or(std::string{});
}

std::optional<std::string> body_reader::optional_text(std::string_view key) {
  const auto* v = member(key, false);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail("The member \"" + std::string(key) + "\" must be a string.");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<std::int64_t> body_reader::optional_integer(std::string_view key) {
  const auto* v = member(key, false);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  fail("The member \"" + std::string(key) + "\" must be an integer.");
  return std::nullopt;
}

std::int64_t body_reader::integer(std::string_view key) {
  if (!member(key, true)) return 0;
  return optional_integer(key).value_or(0);
}

std::optional<bool> body_reader::optional_flag(std::string_view key) {
  const auto* v = member(key, false);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    fail("The member \"" + std::string(key) + "\" must be true or false.");
    return std::nullopt;
  }
  return v->get_bool();
}

appointment_input read_appointment(body_reader& body) {
  appointment_input in;
  in.title = body.text("title", true);
  in.client_name = body.text("clientName", true);
  in.client_email = body.text("clientEmail", true);
  in.starts_at = body.text("startsAt", true);
  in.ends_at = body.text("endsAt", true);
  in.location = body.text("location");
  in.notes = body.text("notes");
  in.status = body.optional_text("status").value_or("scheduled");
  return in;
}

}  // namespace slotlock
