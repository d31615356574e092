#include "rooms/frames.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstdio>

#include "http/error_mapping.hpp"
#include "http/json_io.hpp"

namespace slotlock {

namespace json = boost::json;

namespace {

frame_error bad(std::string message) { return {errc::bad_message, std::move(message)}; }

// The object's text without its opening brace: "\"type\":...}".
frame_body body_of(const json::object& o) {
  auto text = json::serialize(o);
  return std::make_shared<const std::string>(text.substr(1));
}

json::object person(const user_ref& u) { return {{"userId", u.id}, {"name", u.name}, {"email", u.email}}; }

std::string_view type_of(lock_event_kind k) {
  switch (k) {
    case lock_event_kind::acquired: return "lock.acquired";
    case lock_event_kind::refreshed: return "lock.refreshed";
    case lock_event_kind::released: return "lock.released";
    case lock_event_kind::expired: return "lock.expired";
    case lock_event_kind::granted: return "lock.granted";
    case lock_event_kind::taken_over: return "lock.taken_over";
    case lock_event_kind::queue_changed: return "lock.queue";
    case lock_event_kind::control_requested: return "control.requested";
    case lock_event_kind::control_declined: return "control.declined";
    case lock_event_kind::offered: return "lock.offered";
    case lock_event_kind::offer_ended: return "lock.offer_ended";
  }
  return "lock.unknown";
}

json::object draft_json(const shared_draft& d) {
  json::object fields;
  for (const auto& [name, value] : d.fields) fields[name] = value;
  return {{"sessionId", d.session_id}, {"userId", d.who.id}, {"name", d.who.name}, {"fields", std::move(fields)}};
}

json::array queue_json(const std::vector<queue_entry>& q) {
  json::array out;
  for (const auto& e : q) out.push_back(to_json(e));
  return out;
}

}  // namespace

bool is_editable_field(std::string_view name) {
  for (std::string_view f : {"title", "clientName", "clientEmail", "startsAt", "endsAt", "location", "notes", "status"})
    if (name == f) return true;
  return false;
}

std::variant<client_frame, frame_error> parse_client_frame(std::string_view text) {
  const frame_error too_large{errc::frame_too_large, "Frames are limited to 4 KiB (a draft to 16 KiB)."};
  if (text.size() > max_draft_frame) return too_large;
  boost::system::error_code ec;
  const auto doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return bad("A frame must be a JSON object.");
  const auto& o = doc.as_object();
  const auto* type = o.if_contains("type");
  if (!type || !type->is_string()) return bad("A frame needs a \"type\" string.");
  const auto& t = type->get_string();
  if (text.size() > max_client_frame && t != "draft") return too_large;

  auto only = [&](std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : o) {
      bool ok = false;
      for (auto a : allowed) ok = ok || kv.key() == a;
      if (!ok) return false;
    }
    return true;
  };

  if (t == "cursor") {
    if (!only({"type", "x", "y"})) return bad("A cursor frame has only type, x and y.");
    const auto* x = o.if_contains("x");
    const auto* y = o.if_contains("y");
    if (!x || !y || !x->is_number() || !y->is_number()) return bad("x and y must be numbers.");
    cursor_frame c{x->to_number<double>(), y->to_number<double>()};
    if (!std::isfinite(c.x) || !std::isfinite(c.y) || c.x < 0 || c.x > 1 || c.y < 0 || c.y > 1)
      return bad("x and y must be between 0 and 1.");
    return client_frame{c};
  }
  if (t == "activity") {
    if (!only({"type"})) return bad("An activity frame has only a type.");
    return client_frame{activity_frame{}};
  }
  if (t == "ping") {
    if (!only({"type"})) return bad("A ping frame has only a type.");
    return client_frame{ping_frame{}};
  }
  if (t == "draft") {
    if (!only({"type", "fields"})) return bad("A draft frame has only type and fields.");
    const auto* fields = o.if_contains("fields");
    if (!fields || !fields->is_object()) return bad("fields must be an object.");
    draft_frame d;
    for (const auto& kv : fields->get_object()) {
      if (!is_editable_field(kv.key())) return bad("\"" + std::string(kv.key()) + "\" is not an editable field.");
      if (!kv.value().is_string()) return bad("Draft values must be strings.");
      d.fields.emplace_back(kv.key(), kv.value().get_string());
    }
    return client_frame{std::move(d)};
  }
  return bad("Unknown frame type.");
}

namespace {

struct rgb {
  double r, g, b;  // 0..1
};

rgb from_hsl(double hue, double s, double l) {
  const double chroma = (1 - std::abs(2 * l - 1)) * s;
  const double x = chroma * (1 - std::abs(std::fmod(hue / 60, 2) - 1));
  const double m = l - chroma / 2;
  double r = 0, g = 0, b = 0;
  if (hue < 60)
    r = chroma, g = x;
  else if (hue < 120)
    r = x, g = chroma;
  else if (hue < 180)
    g = chroma, b = x;
  else if (hue < 240)
    g = x, b = chroma;
  else if (hue < 300)
    r = x, b = chroma;
  else
    r = chroma, b = x;
  return {r + m, g + m, b + m};
}

// WCAG 2.x: (L_white + 0.05) / (L + 0.05), on the colour as it will be written (8 bits a channel).
double contrast_with_white(const rgb& c) {
  const auto linear = [](double v) {
    v = std::lround(v * 255) / 255.0;
    return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  const double lum = 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
  return 1.05 / (lum + 0.05);
}

}  // namespace

std::string color_for(std::string_view user_id) {
  // FNV-1a (stable across runs and processes, unlike std::hash) picks a hue
  // out of 360: two people rarely share a colour, as they would in a small
  // palette. The lightness is lowered, per hue, until white name tags on it
  // reach WCAG AA's 4.5:1 (yellows and greens need it darker than blues).
  std::uint32_t h = 2166136261u;
  for (unsigned char c : user_id) h = (h ^ c) * 16777619u;
  const double hue = h % 360;
  double l = 0.42;
  rgb c = from_hsl(hue, 0.70, l);
  while (contrast_with_white(c) < 4.6 && l > 0.1) c = from_hsl(hue, 0.70, l -= 0.01);
  char out[8];
  std::snprintf(out, sizeof out, "#%02x%02x%02x", static_cast<int>(std::lround(c.r * 255)),
                static_cast<int>(std::lround(c.g * 255)), static_cast<int>(std::lround(c.b * 255)));
  return out;
}

namespace {

json::object viewer_json(const viewer& v) {
  return {{"userId", v.user_id},       {"name", v.name},  {"email", v.email}, {"role", to_string(v.role)},
          {"sessionId", v.session_id}, {"color", v.color}};
}

}  // namespace

std::string render_viewer(const viewer& v) { return json::serialize(viewer_json(v)); }

std::string render_cursor(const cursor& c) {
  return json::serialize(json::object{{"userId", c.user_id},
                                      {"sessionId", c.session_id},
                                      {"name", c.name},
                                      {"color", c.color},
                                      {"x", c.x},
                                      {"y", c.y}});
}

frame_body render_snapshot(const room_snapshot& s) {
  json::array presence, cursors;
  for (const auto& v : s.presence) presence.push_back(viewer_json(v));
  for (const auto& c : s.cursors) cursors.push_back(json::parse(render_cursor(c)));
  return body_of({{"type", "snapshot"},
                  {"serverTime", s.server_time},
                  {"lock", to_json(s.lock)},
                  {"appointment", json::object{{"id", s.appointment_id}, {"version", s.version}}},
                  {"presence", std::move(presence)},
                  {"cursors", std::move(cursors)},
                  {"queue", queue_json(s.queue)},
                  {"offer", s.offer ? json::value(to_json(*s.offer)) : json::value(nullptr)},
                  {"draft", s.draft ? json::value(draft_json(*s.draft)) : json::value(nullptr)}});
}

frame_body render_feed_snapshot(const std::string& server_time, const std::vector<lock_record>& locks,
                                const std::vector<lock_offer>& offers) {
  json::array items, offered;
  for (const auto& l : locks) items.push_back(to_json(l));
  for (const auto& o : offers) offered.push_back(to_json(o));
  return body_of(
      {{"type", "snapshot"}, {"serverTime", server_time}, {"locks", std::move(items)}, {"offers", std::move(offered)}});
}

frame_body render_draft(const shared_draft& d) {
  json::object o{{"type", "draft"}};
  for (const auto& kv : draft_json(d)) o.emplace(kv.key(), kv.value());
  return body_of(o);
}

frame_body render_event(const event& e) {
  if (const auto* c = std::get_if<appointment_created>(&e)) {
    // Without its notes, which no list shows: the frame stays small enough for every bus.
    auto a = to_json(c->created);
    a.erase("notes");
    a["lock"] = nullptr;
    return body_of({{"type", "appointment.created"}, {"appointment", std::move(a)}});
  }
  if (const auto* d = std::get_if<appointment_deleted>(&e))
    return body_of({{"type", "appointment.deleted"}, {"appointmentId", d->appointment_id}, {"by", person(d->by)}});
  if (const auto* u = std::get_if<appointment_updated>(&e)) {
    return body_of(
        {{"type", "appointment.updated"},
         {"appointment",
          json::object{{"id", u->appointment_id}, {"version", u->version}, {"updatedBy", to_json(u->updated_by)}}}});
  }
  const auto& l = std::get<lock_event>(e);
  json::object o{{"type", type_of(l.kind)}};
  switch (l.kind) {
    case lock_event_kind::acquired:
    case lock_event_kind::refreshed:
    case lock_event_kind::granted: o["lock"] = to_json(l.lock); break;
    case lock_event_kind::released:
    case lock_event_kind::expired:
      o["appointmentId"] = l.appointment_id;
      o["previousHolder"] = l.previous_holder ? json::value(person(*l.previous_holder)) : nullptr;
      o["reason"] = l.reason;
      break;
    case lock_event_kind::taken_over:
      o["lock"] = to_json(l.lock);
      o["previousHolder"] = l.previous_holder ? json::value(person(*l.previous_holder)) : nullptr;
      o["by"] = l.by ? json::value(person(*l.by)) : nullptr;
      break;
    case lock_event_kind::queue_changed:
      o["appointmentId"] = l.appointment_id;
      o["queue"] = queue_json(l.queue);
      break;
    case lock_event_kind::control_requested:
    case lock_event_kind::control_declined:
      o["appointmentId"] = l.appointment_id;
      if (l.previous_holder) o["holder"] = person(*l.previous_holder);
      o["by"] = l.by ? json::value(person(*l.by)) : nullptr;
      o["deadline"] = l.deadline ? json::value(format_iso(*l.deadline)) : nullptr;
      break;
    case lock_event_kind::offered:
    case lock_event_kind::offer_ended:
      o["offer"] = l.offer ? json::value(to_json(*l.offer)) : nullptr;
      if (l.kind == lock_event_kind::offer_ended) o["reason"] = l.reason;
      break;
  }
  return body_of(o);
}

frame_body render_presence(const std::vector<viewer>& viewers) {
  json::array presence;
  presence.reserve(viewers.size());
  for (const auto& v : viewers) presence.push_back(viewer_json(v));
  return body_of({{"type", "presence"}, {"presence", std::move(presence)}});
}

frame_body render_cursors(const std::vector<std::shared_ptr<const std::string>>& objects) {
  std::string text = "\"type\":\"cursors\",\"cursors\":[";
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (i) text += ',';
    text += *objects[i];
  }
  text += "]}";
  return std::make_shared<const std::string>(std::move(text));
}

frame_body render_error(errc code, std::string_view message) {
  return body_of({{"type", "error"}, {"code", classify(code).code}, {"message", message}});
}

frame_body render_pong(const std::string& server_time) {
  return body_of({{"type", "pong"}, {"serverTime", server_time}});
}

std::string seq_prefix(std::uint64_t seq) {
  std::string out = "{\"seq\":";
  out += std::to_string(seq);
  out += ',';
  return out;
}

std::string with_seq(std::uint64_t seq, const std::string& body) { return seq_prefix(seq) + body; }

std::shared_ptr<const cursor_batch> make_cursor_batch(std::vector<std::pair<tab_key, frame_body>> objects) {
  std::vector<frame_body> bodies;
  bodies.reserve(objects.size());
  for (const auto& [tab, object] : objects) bodies.push_back(object);
  return std::make_shared<const cursor_batch>(cursor_batch{render_cursors(bodies), std::move(objects)});
}

}  // namespace slotlock
