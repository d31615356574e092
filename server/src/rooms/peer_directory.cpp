#include "rooms/peer_directory.hpp"

#include <algorithm>

namespace slotlock {

namespace {
bool same_tab(const viewer& v, const std::string& user_id, const std::string& session_id) {
  return v.user_id == user_id && v.session_id == session_id;
}
}  // namespace

bool peer_directory::heard(const std::string& process, steady_time now) {
  const auto [it, first_word] = peers_.try_emplace(process);
  it->second.last_heard = now;
  return first_word;
}

void peer_directory::set_viewers(const std::string& process, const std::string& appointment_id,
                                 const std::vector<viewer>& viewers, bool replace) {
  auto& p = peers_[process];
  auto& r = p.rooms[appointment_id];
  if (replace) r.viewers.clear();
  r.viewers.insert(r.viewers.end(), viewers.begin(), viewers.end());
  std::erase_if(r.cursors, [&](const auto& entry) {
    return std::none_of(r.viewers.begin(), r.viewers.end(),
                        [&](const viewer& v) { return same_tab(v, entry.first.first, entry.first.second); });
  });
  if (r.viewers.empty()) p.rooms.erase(appointment_id);
}

std::vector<cursor> peer_directory::move(const std::string& process, const std::string& appointment_id,
                                         const std::vector<peer_message::move>& moves) {
  std::vector<cursor> moved;
  const auto p = peers_.find(process);
  if (p == peers_.end()) return moved;
  const auto r = p->second.rooms.find(appointment_id);
  if (r == p->second.rooms.end()) return moved;
  auto& viewers = r->second.viewers;
  for (const auto& mv : moves) {
    const auto v = std::find_if(viewers.begin(), viewers.end(),
                                [&](const viewer& x) { return same_tab(x, mv.user_id, mv.session_id); });
    if (v == viewers.end()) continue;
    moved.push_back(cursor{v->user_id, v->session_id, v->name, v->color, mv.x, mv.y});
    r->second.cursors[moved.back().tab()] = moved.back();
  }
  return moved;
}

std::vector<std::pair<std::string, std::vector<viewer>>> peer_directory::drop(const std::string& process) {
  std::vector<std::pair<std::string, std::vector<viewer>>> gone;
  const auto it = peers_.find(process);
  if (it == peers_.end()) return gone;
  for (auto& [appointment_id, r] : it->second.rooms) gone.emplace_back(appointment_id, std::move(r.viewers));
  peers_.erase(it);
  return gone;
}

std::vector<std::string> peer_directory::silent_since(steady_time cutoff) const {
  std::vector<std::string> silent;
  for (const auto& [process, p] : peers_)
    if (p.last_heard < cutoff) silent.push_back(process);
  return silent;
}

void peer_directory::append_viewers(const std::string& appointment_id, std::vector<viewer>& out) const {
  for (const auto& [process, p] : peers_)
    if (auto r = p.rooms.find(appointment_id); r != p.rooms.end())
      out.insert(out.end(), r->second.viewers.begin(), r->second.viewers.end());
}

std::vector<cursor> peer_directory::cursors(const std::string& appointment_id) const {
  std::vector<cursor> out;
  for (const auto& [process, p] : peers_)
    if (auto r = p.rooms.find(appointment_id); r != p.rooms.end())
      for (const auto& [tab, c] : r->second.cursors) out.push_back(c);
  return out;
}

std::optional<pointer_position> peer_directory::position_of(const std::string& appointment_id,
                                                            const tab_key& tab) const {
  for (const auto& [process, p] : peers_)
    if (auto r = p.rooms.find(appointment_id); r != p.rooms.end())
      if (auto c = r->second.cursors.find(tab); c != r->second.cursors.end())
        return pointer_position{c->second.x, c->second.y};
  return std::nullopt;
}

bool peer_directory::has_tab(const std::string& appointment_id, const tab_key& tab) const {
  for (const auto& [process, p] : peers_)
    if (auto r = p.rooms.find(appointment_id); r != p.rooms.end())
      if (std::any_of(r->second.viewers.begin(), r->second.viewers.end(),
                      [&](const viewer& v) { return same_tab(v, tab.first, tab.second); }))
        return true;
  return false;
}

}  // namespace slotlock
