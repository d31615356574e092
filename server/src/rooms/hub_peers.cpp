// The hub's side of the peer protocol (ADR 0010): what it tells the other processes sharing
// the PostgreSQL database each tick, and what it makes of what they say.
#include <spdlog/spdlog.h>

#include "rooms/cursor_fanout.hpp"
#include "rooms/hub.hpp"

namespace slotlock {

void hub::tell_peers(const peer_message& m) {
  if (bus_ == nullptr || !bus_->has_peers()) return;
  for (auto& payload : encode_peer_message(m)) bus_->broadcast(std::move(payload));
}

void hub::tell_peers_on_tick() {
  if (bus_ == nullptr || !bus_->has_peers()) {
    viewers_changed_.clear();
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_resend_ >= settings_.peer_resend_every) {
    last_resend_ = now;
    for (const auto& [id, r] : rooms_) viewers_changed_.insert(id);
    if (!feed_.empty()) viewers_changed_.insert("");
  }
  for (const auto& id : viewers_changed_) {
    // "" is the list feed: its tabs keep their places in line on every process.
    peer_message m{.kind = peer_message::kind::viewers, .process_id = process_id_, .appointment_id = id};
    if (id.empty())
      for (const auto& member : feed_) m.viewers.push_back(viewer_of(*member));
    else if (auto it = rooms_.find(id); it != rooms_.end())
      for (const auto& member : it->second.members) m.viewers.push_back(viewer_of(*member));
    tell_peers(m);
  }
  viewers_changed_.clear();
  for (const auto& [id, r] : rooms_) {
    if (r.moved.empty()) continue;
    peer_message m{.kind = peer_message::kind::cursors, .process_id = process_id_, .appointment_id = id};
    for (const auto& tab : r.moved) {
      const auto& c = r.cursors.at(tab);
      m.moves.push_back({c.user_id, c.session_id, c.x, c.y});
    }
    tell_peers(m);
  }
  if (now - last_alive_ < settings_.peer_alive_every) return;
  last_alive_ = now;
  tell_peers({.kind = peer_message::kind::alive, .process_id = process_id_});
  // If our own word does not come back, the silence is ours (the database or
  // our LISTEN connection is away): the others are not gone.
  if (now - last_heard_self_ > 2 * settings_.peer_alive_every) return;
  for (const auto& process : peers_.silent_since(now - settings_.peer_timeout)) {
    spdlog::warn("process {} has not been heard from for {} ms: its viewers are gone", process,
                 settings_.peer_timeout.count());
    drop_peer(process);
  }
}

void hub::on_peer_message(std::string_view payload) {
  auto m = decode_peer_message(payload);
  if (!m) {
    spdlog::warn("peers: ignored a message that is not a peer message ({} bytes)", payload.size());
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard g(mutex_);
  if (m->process_id == process_id_) {  // our own, back from the database
    last_heard_self_ = now;
    return;
  }
  if (stopped_) return;
  if (m->kind == peer_message::kind::bye) {
    drop_peer(m->process_id);
    return;
  }
  // A process we do not know (it started before us, or we had given it up)
  // is asked to tell its viewers again.
  if (peers_.heard(m->process_id, now) && m->kind != peer_message::kind::hello)
    tell_peers({.kind = peer_message::kind::hello, .process_id = process_id_});
  const auto local = rooms_.find(m->appointment_id);
  switch (m->kind) {
    case peer_message::kind::hello:
      for (const auto& [id, r] : rooms_) viewers_changed_.insert(id);
      if (!feed_.empty()) viewers_changed_.insert("");
      return;
    case peer_message::kind::viewers:
    case peer_message::kind::more_viewers:
      peers_.set_viewers(m->process_id, m->appointment_id, m->viewers, m->kind == peer_message::kind::viewers);
      if (local != rooms_.end()) send_presence(local->first, local->second);
      return;
    case peer_message::kind::cursors: {
      const auto moved = peers_.move(m->process_id, m->appointment_id, m->moves);
      if (local != rooms_.end()) fan_out_cursors(local->second.members, moved);
      return;
    }
    case peer_message::kind::draft:
    case peer_message::kind::more_draft: {
      const auto key = std::pair(m->process_id, m->appointment_id);
      auto& parts = incoming_drafts_[key];
      if (m->kind == peer_message::kind::draft) {
        parts = {std::move(*m->draft), m->parts, 1};
      } else if (parts.got == 0) {
        incoming_drafts_.erase(key);  // the start of it was lost: wait for the next draft
        return;
      } else {
        append_draft_pieces(parts.draft, *m->draft);
        ++parts.got;
      }
      if (parts.got < parts.expected) return;
      auto whole = std::move(parts.draft);
      incoming_drafts_.erase(key);
      share_draft(m->appointment_id, std::move(whole), nullptr);
      return;
    }
    default: return;
  }
}

void hub::drop_peer(const std::string& process_id) {
  for (const auto& [appointment_id, viewers] : peers_.drop(process_id)) {
    // Its tabs' sockets closed with it: their locks go after the grace, as
    // for a socket that closed here (every survivor starts the clock; the
    // release is conditional, so the lock is released once).
    for (const auto& v : viewers)
      if (!tab_connected(appointment_id, {v.user_id, v.session_id}))
        start_grace(appointment_id, v.user_id, v.session_id);
    if (auto local = rooms_.find(appointment_id); local != rooms_.end()) send_presence(local->first, local->second);
  }
}

}  // namespace slotlock
