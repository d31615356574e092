#include "rooms/peer_message.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace slotlock {

namespace json = boost::json;

namespace {

constexpr int last_kind = static_cast<int>(peer_message::kind::more_draft);

// Long values travel in pieces of at most this many bytes, cut between UTF-8 characters.
constexpr std::size_t draft_piece = 2000;

std::vector<json::value> draft_items(const shared_draft& d) {
  std::vector<json::value> items;
  for (const auto& [field, value] : d.fields) {
    std::size_t at = 0;
    do {
      std::size_t end = std::min(value.size(), at + draft_piece);
      while (end < value.size() && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
      items.emplace_back(json::array{json::string(field), json::string(value.substr(at, end - at))});
      at = end;
    } while (at < value.size());
  }
  return items;
}

json::array viewer_json(const viewer& v) {
  return {json::string(v.user_id),         json::string(v.name),       json::string(v.email),
          json::string(to_string(v.role)), json::string(v.session_id), json::string(v.color)};
}

viewer viewer_from(const json::value& value) {
  const auto& a = value.as_array();
  viewer v;
  v.user_id = json::value_to<std::string>(a.at(0));
  v.name = json::value_to<std::string>(a.at(1));
  v.email = json::value_to<std::string>(a.at(2));
  v.role = parse_role(json::value_to<std::string>(a.at(3))).value_or(role::user);
  v.session_id = json::value_to<std::string>(a.at(4));
  v.color = json::value_to<std::string>(a.at(5));
  return v;
}

// Splits `items` under `key` over as many payloads as `limit` needs; the
// first carries `first`, the rest `rest` as their kind.
std::vector<std::string> split(json::object base, const char* key, const std::vector<json::value>& items, int first,
                               int rest, std::size_t limit) {
  std::vector<std::string> out;
  base["k"] = first;
  const std::size_t empty_size = json::serialize(base).size() + std::string_view(key).size() + 5;
  json::array chunk;
  std::size_t size = empty_size;
  const auto flush = [&] {
    base[key] = std::move(chunk);
    out.push_back(json::serialize(base));
    base["k"] = rest;
    chunk = json::array();
    size = empty_size;
  };
  for (const auto& item : items) {
    const auto item_size = json::serialize(item).size() + 1;
    if (!chunk.empty() && size + item_size > limit) flush();
    chunk.push_back(item);
    size += item_size;
  }
  if (!chunk.empty() || out.empty()) flush();
  return out;
}

}  // namespace

std::vector<std::string> encode_peer_message(const peer_message& m, std::size_t limit) {
  json::object o;
  o["p"] = m.process_id;
  if (!m.appointment_id.empty()) o["a"] = m.appointment_id;
  switch (m.kind) {
    case peer_message::kind::viewers:
    case peer_message::kind::more_viewers: {
      std::vector<json::value> items;
      for (const auto& v : m.viewers) items.emplace_back(viewer_json(v));
      return split(std::move(o), "v", items, static_cast<int>(m.kind),
                   static_cast<int>(peer_message::kind::more_viewers), limit);
    }
    case peer_message::kind::cursors: {
      std::vector<json::value> items;
      for (const auto& mv : m.moves)
        items.emplace_back(json::array{json::string(mv.user_id), json::string(mv.session_id), mv.x, mv.y});
      const auto k = static_cast<int>(peer_message::kind::cursors);
      return split(std::move(o), "c", items, k, k, limit);
    }
    case peer_message::kind::draft:
    case peer_message::kind::more_draft: {
      const auto& d = m.draft.value();
      o["d"] = json::array{json::string(d.session_id), json::string(d.who.id), json::string(d.who.name),
                           json::string(d.who.email)};
      const auto items = draft_items(d);
      const auto k = static_cast<int>(peer_message::kind::draft);
      const auto more = static_cast<int>(peer_message::kind::more_draft);
      // Split once to count the parts, then again with the count in every part.
      const auto parts = split(o, "f", items, k, more, limit - 16).size();
      o["n"] = parts;
      return split(std::move(o), "f", items, k, more, limit);
    }
    default: o["k"] = static_cast<int>(m.kind); return {json::serialize(o)};
  }
}

void append_draft_pieces(shared_draft& whole, const shared_draft& more) {
  for (const auto& piece : more.fields) {  // (not a structured binding: clang 14 cannot capture one)
    auto it =
        std::find_if(whole.fields.begin(), whole.fields.end(), [&](const auto& f) { return f.first == piece.first; });
    if (it == whole.fields.end())
      whole.fields.push_back(piece);
    else
      it->second += piece.second;
  }
}

std::optional<peer_message> decode_peer_message(std::string_view payload) {
  try {
    const auto v = json::parse(payload);
    const auto& o = v.as_object();
    const auto k = o.at("k").to_number<int>();
    if (k < 0 || k > last_kind) return std::nullopt;
    peer_message m;
    m.kind = static_cast<enum peer_message::kind>(k);
    m.process_id = json::value_to<std::string>(o.at("p"));
    if (const auto* a = o.if_contains("a")) m.appointment_id = json::value_to<std::string>(*a);
    if (const auto* list = o.if_contains("v"))
      for (const auto& item : list->as_array()) m.viewers.push_back(viewer_from(item));
    if (const auto* list = o.if_contains("c")) {
      for (const auto& item : list->as_array()) {
        const auto& a = item.as_array();
        const double x = a.at(2).to_number<double>();
        const double y = a.at(3).to_number<double>();
        if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) return std::nullopt;
        m.moves.push_back({json::value_to<std::string>(a.at(0)), json::value_to<std::string>(a.at(1)), x, y});
      }
    }
    if (const auto* d = o.if_contains("d")) {
      const auto& a = d->as_array();
      shared_draft draft;
      draft.session_id = json::value_to<std::string>(a.at(0));
      draft.who = user_ref{json::value_to<std::string>(a.at(1)), json::value_to<std::string>(a.at(2)),
                           json::value_to<std::string>(a.at(3))};
      // Pieces of one field arrive in order: append them.
      shared_draft pieces;
      if (const auto* list = o.if_contains("f"))
        for (const auto& item : list->as_array()) {
          const auto& f = item.as_array();
          pieces.fields.emplace_back(json::value_to<std::string>(f.at(0)), json::value_to<std::string>(f.at(1)));
        }
      append_draft_pieces(draft, pieces);
      m.draft = std::move(draft);
      if (const auto* n = o.if_contains("n")) m.parts = n->to_number<int>();
    }
    // Viewers may be of the list feed (no appointment); pointers and drafts belong to a room.
    const bool is_draft = m.kind == peer_message::kind::draft || m.kind == peer_message::kind::more_draft;
    const bool needs_room = m.kind == peer_message::kind::cursors || is_draft;
    if (is_draft && (!m.draft || m.parts < 1)) return std::nullopt;
    if (m.process_id.empty() || (needs_room && m.appointment_id.empty())) return std::nullopt;
    return m;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace slotlock
