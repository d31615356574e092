#include "rooms/hub.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <random>

#include "domain/appointment_service.hpp"
#include "domain/lock_service.hpp"
#include "rooms/cursor_fanout.hpp"

namespace slotlock {

namespace asio = boost::asio;

namespace {

bool feed_worthy(const event& e) {
  const auto* l = std::get_if<lock_event>(&e);
  return !l || (l->kind != lock_event_kind::queue_changed && l->kind != lock_event_kind::control_requested &&
                l->kind != lock_event_kind::control_declined);
}

// The feed has no room: "" in the rooms' tables (graces, peers' viewers) is the list feed.
constexpr const char* feed_room = "";

std::string new_process_id() {
  std::random_device rd;
  std::uniform_int_distribution<std::uint64_t> any;
  return fmt::format("{:016x}", any(rd));
}

}  // namespace

hub::hub(asio::io_context& ioc, asio::thread_pool& blocking, lock_service& locks, appointment_service& appointments,
         const clock& c, hub_settings settings)
    : ioc_(ioc),
      blocking_(blocking),
      locks_(locks),
      appointments_(appointments),
      clock_(c),
      settings_(settings),
      strand_(asio::make_strand(ioc)),
      ticker_(strand_),
      refreshes_(settings.refresh_every),
      graces_(settings.disconnect_grace),
      process_id_(new_process_id()) {}

hub::~hub() { *alive_ = false; }

void hub::start(event_bus& bus) {
  bus_ = &bus;
  bus.subscribe([this](const event& e) { on_event(e); });
  bus.on_resync([this] { resync(); });
  if (bus.has_peers()) {
    bus.on_broadcast([this](std::string_view payload) { on_peer_message(payload); });
    std::lock_guard g(mutex_);
    tell_peers({.kind = peer_message::kind::hello, .process_id = process_id_});
  }
  asio::post(strand_, [this] { schedule_tick(); });
}

void hub::stop() {
  asio::post(strand_, [this] {
    stopped_ = true;
    ticker_.cancel();
  });
  std::lock_guard g(mutex_);
  graces_.clear();
  // The others let our viewers go now (and release their tabs' locks after
  // the grace) rather than when we fall silent.
  tell_peers({.kind = peer_message::kind::bye, .process_id = process_id_});
}

hub::join_result hub::join(const std::shared_ptr<room_member>& s) {
  std::lock_guard g(mutex_);
  const auto& id = s->id();
  // Counted only once joined: a refused socket leaves no entry behind.
  const auto counted = sockets_of_user_.find(id.who.id);
  if (counted != sockets_of_user_.end() && counted->second >= settings_.max_user_sockets)
    return join_result::too_many_sockets;
  if (id.room.empty()) {
    feed_.push_back(s);
    ++sockets_of_user_[id.who.id];
    graces_.cancel({"", id.who.id, id.session_id});
    viewers_changed_.insert("");
    return join_result::joined;
  }
  const auto it = rooms_.find(id.room);
  if (it != rooms_.end()) {
    const auto& members = it->second.members;
    const auto here =
        std::count_if(members.begin(), members.end(), [&](const auto& m) { return m->id().who.id == id.who.id; });
    if (static_cast<std::size_t>(here) >= settings_.max_user_sockets_per_room) return join_result::too_many_sockets;
    // A full room still lets in the person editing and the admins: nobody
    // can keep them out of it by filling it first.
    const bool may_exceed = id.holds_lock || id.who.role == role::admin;
    if (members.size() >= settings_.max_room_viewers && !may_exceed) return join_result::room_full;
  }
  auto& r = rooms_[id.room];
  r.members.push_back(s);
  ++sockets_of_user_[id.who.id];
  graces_.cancel({id.room, id.who.id, id.session_id});
  send_presence(id.room, r);
  viewers_changed_.insert(id.room);
  return join_result::joined;
}

void hub::leave(const room_member& s) {
  std::lock_guard g(mutex_);
  const auto& id = s.id();
  const auto is_s = [&](const auto& p) { return p.get() == &s; };
  const auto forget_socket = [&] {
    if (auto n = sockets_of_user_.find(id.who.id); n != sockets_of_user_.end() && --n->second == 0)
      sockets_of_user_.erase(n);
  };
  if (id.room.empty()) {
    if (std::erase_if(feed_, is_s) == 0) return;
    forget_socket();
    viewers_changed_.insert("");
    // The tab's last feed socket: its places in line wait for it a grace long.
    if (!tab_connected("", {id.who.id, id.session_id})) start_grace("", id.who.id, id.session_id);
    return;
  }
  auto it = rooms_.find(id.room);
  if (it == rooms_.end()) return;
  auto& r = it->second;
  if (std::erase_if(r.members, is_s) == 0) return;
  forget_socket();
  const tab_key tab{id.who.id, id.session_id};
  const bool tab_still_here = std::any_of(r.members.begin(), r.members.end(), [&](const auto& p) {
    return p->id().session_id == id.session_id && p->id().who.id == id.who.id;
  });
  if (!tab_still_here) {
    r.cursors.erase(tab);
    r.moved.erase(tab);
    start_grace(id.room, id.who.id, id.session_id);
  }
  viewers_changed_.insert(id.room);
  if (r.members.empty())
    rooms_.erase(it);  // a draft stays in drafts_ until the lock moves on
  else
    send_presence(id.room, r);
}

void hub::prepare_snapshot(const std::shared_ptr<room_member>& m) { send_snapshot(m, true); }

void hub::resync() {
  // Events may have been missed (the bus reconnected): every socket gets the
  // state as it is now, as a fresh snapshot frame, and the peers tell us
  // their viewers again (and hear ours).
  std::vector<std::shared_ptr<room_member>> everyone;
  {
    std::lock_guard g(mutex_);
    tell_peers({.kind = peer_message::kind::hello, .process_id = process_id_});
    for (const auto& [id, r] : rooms_) viewers_changed_.insert(id);
    for (const auto& [id, r] : rooms_) everyone.insert(everyone.end(), r.members.begin(), r.members.end());
    everyone.insert(everyone.end(), feed_.begin(), feed_.end());
  }
  for (const auto& s : everyone) send_snapshot(s, false);
}

void hub::send_snapshot(const std::shared_ptr<room_member>& s, bool first) {
  asio::post(blocking_, [this, s, first] {
    const auto& id = s->id();
    const auto hand_over = [&](frame_body body) {
      if (first)
        s->start_with(std::move(body));
      else
        s->send(std::move(body));
    };
    try {
      const auto now = format_iso(clock_.now());
      if (id.room.empty()) {
        hand_over(render_feed_snapshot(now, locks_.live_locks(), locks_.open_offers()));
        return;
      }
      room_snapshot snap;
      snap.server_time = now;
      snap.appointment_id = id.room;
      auto lock = locks_.status(id.room);
      auto appt = appointments_.get(id.room);
      auto line = locks_.queue(id.room);
      if (lock) snap.lock = *lock;
      if (appt) snap.version = appt->version;
      if (line) snap.queue = *line;
      snap.offer = locks_.offer(id.room);
      std::lock_guard g(mutex_);
      if (auto d = drafts_.find(id.room); d != drafts_.end() && snap.lock && d->second.who.id == snap.lock->holder.id &&
                                          d->second.session_id == snap.lock->session_id)
        snap.draft = d->second;
      const auto it = rooms_.find(id.room);
      snap.presence = viewers_of(id.room, it == rooms_.end() ? nullptr : &it->second);
      // Every pointer in the room, here and on peers (ours last: ours win); the holder's is also
      // the lock's `position`, and nobody is sent their own.
      auto pointers = peers_.cursors(id.room);
      if (it != rooms_.end())
        for (const auto& [tab, c] : it->second.cursors) pointers.push_back(c);
      for (auto& c : pointers) {
        if (snap.lock && c.user_id == snap.lock->holder.id && c.session_id == snap.lock->session_id)
          snap.lock->position = pointer_position{c.x, c.y};
        if (c.user_id != id.who.id) snap.cursors.push_back(std::move(c));
      }
      hand_over(render_snapshot(snap));
    } catch (const std::exception& e) {
      spdlog::error("snapshot for {} failed: {}", id.room, e.what());
      hand_over(render_error(errc::store_unavailable, "The data store is not available right now; reconnect shortly."));
    }
  });
}

void hub::cursor_moved(const room_member& s, double x, double y) {
  const auto& id = s.id();
  if (id.room.empty()) return;  // the list has no form to point at
  std::lock_guard g(mutex_);
  auto it = rooms_.find(id.room);
  if (it == rooms_.end()) return;
  const cursor c{id.who.id, id.session_id, id.who.name, id.color, x, y};
  it->second.cursors[c.tab()] = c;
  it->second.moved.insert(c.tab());
}

void hub::activity(const room_member& s) {
  const auto& id = s.id();
  if (id.room.empty()) return;
  asio::post(blocking_, [this, appointment = id.room, who = id.who, session = id.session_id] {
    try {
      (void)locks_.heartbeat(appointment, who, session);  // a viewer's activity is no one's business
    } catch (const std::exception& e) {
      spdlog::error("activity for {} failed: {}", appointment, e.what());
    }
  });
}

void hub::draft(const std::shared_ptr<room_member>& m, draft_frame d) {
  if (m->id().room.empty()) {
    m->send(render_error(errc::bad_message, "A draft belongs to an appointment's room, not the list."));
    return;
  }
  auto decide = [this, m, d = std::move(d)](const result<std::optional<lock_record>>& lock) mutable {
    const auto& id = m->id();
    if (!lock || !*lock || (*lock)->holder.id != id.who.id || (*lock)->session_id != id.session_id) {
      m->send(render_error(errc::not_holder, "Only the tab editing this appointment can share what it types."));
      return;
    }
    shared_draft shared{id.session_id, ref_of(id.who), std::move(d.fields)};
    std::lock_guard g(mutex_);
    tell_peers(
        {.kind = peer_message::kind::draft, .process_id = process_id_, .appointment_id = id.room, .draft = shared});
    share_draft(id.room, std::move(shared), m.get());
  };
  if (auto known = locks_.status_from_memory(m->id().room)) {
    decide(*known);
    return;
  }
  asio::post(blocking_, [this, decide = std::move(decide), room = m->id().room]() mutable {
    try {
      decide(locks_.status(room));
    } catch (const std::exception& e) {
      spdlog::error("a draft for {} was not shared: {}", room, e.what());
    }
  });
}

void hub::share_draft(const std::string& appointment_id, shared_draft d, const room_member* from) {
  const auto body = render_draft(d);
  if (d.fields.empty())
    drafts_.erase(appointment_id);
  else
    drafts_[appointment_id] = std::move(d);
  if (auto it = rooms_.find(appointment_id); it != rooms_.end())
    for (const auto& member : it->second.members)
      if (member.get() != from) member->send(body);
}

void hub::forget_draft(const std::string& appointment_id) {
  std::lock_guard g(mutex_);
  drafts_.erase(appointment_id);
}

std::optional<pointer_position> hub::position_of(const std::string& appointment_id, const tab_key& tab) {
  std::lock_guard g(mutex_);
  const auto in = [&](const std::map<tab_key, cursor>& cursors) -> std::optional<pointer_position> {
    auto c = cursors.find(tab);
    if (c == cursors.end()) return std::nullopt;
    return pointer_position{c->second.x, c->second.y};
  };
  if (auto it = rooms_.find(appointment_id); it != rooms_.end())
    if (auto p = in(it->second.cursors)) return p;
  return peers_.position_of(appointment_id, tab);
}

bool hub::tab_open(const std::string& appointment_id, const tab_key& tab) {
  std::lock_guard g(mutex_);
  return tab_connected(appointment_id, tab) || tab_connected("", tab);
}

void hub::on_event(const event& e) {
  if (const auto* ended = std::get_if<session_ended>(&e)) {
    end_sessions(*ended);
    return;
  }
  if (std::holds_alternative<user_changed>(e)) return;  // for the session cache, not the viewers
  event copy = e;
  std::string appointment_id;
  bool refresh = false;
  bool draft_ends = true;  // a save, a new holder, a lock that ended or a deletion: the draft is moot
  if (auto* l = std::get_if<lock_event>(&copy)) {
    appointment_id = l->appointment_id;
    refresh = l->kind == lock_event_kind::refreshed;
    draft_ends = l->kind == lock_event_kind::acquired || l->kind == lock_event_kind::granted ||
                 l->kind == lock_event_kind::released || l->kind == lock_event_kind::expired ||
                 l->kind == lock_event_kind::taken_over;
    if (l->lock && !l->lock->position)
      l->lock->position = position_of(appointment_id, {l->lock->holder.id, l->lock->session_id});
  } else if (const auto* u = std::get_if<appointment_updated>(&copy)) {
    appointment_id = u->appointment_id;
  } else if (const auto* c = std::get_if<appointment_created>(&copy)) {
    appointment_id = c->created.id;
    draft_ends = false;
  } else {
    appointment_id = std::get<appointment_deleted>(copy).appointment_id;
  }
  if (draft_ends) forget_draft(appointment_id);
  auto body = render_event(copy);

  {
    std::lock_guard g(mutex_);
    if (refresh) {
      if (!refreshes_.offer(appointment_id, body, std::chrono::steady_clock::now())) return;
    } else if (std::holds_alternative<lock_event>(copy)) {
      refreshes_.superseded(appointment_id);
    }
  }
  deliver(appointment_id, body, feed_worthy(copy));
  if (std::holds_alternative<appointment_deleted>(copy)) {
    // Nothing more will happen in this room: its sockets close once the news is out.
    std::lock_guard g(mutex_);
    if (auto it = rooms_.find(appointment_id); it != rooms_.end())
      for (const auto& m : it->second.members) m->close_room();
  }
}

void hub::end_sessions(const session_ended& e) {
  std::lock_guard g(mutex_);
  const auto ended = [&](const std::shared_ptr<room_member>& s) {
    const auto& id = s->id();
    return id.who.id == e.user_id && (e.auth_session.empty() || id.auth_session == e.auth_session);
  };
  for (const auto& [appointment_id, r] : rooms_)
    for (const auto& m : r.members)
      if (ended(m)) m->end_session();
  for (const auto& f : feed_)
    if (ended(f)) f->end_session();
}

void hub::deliver(const std::string& appointment_id, const frame_body& body, bool to_feed) {
  std::lock_guard g(mutex_);
  if (auto it = rooms_.find(appointment_id); it != rooms_.end())
    for (const auto& m : it->second.members) m->send(body);
  if (to_feed)
    for (const auto& f : feed_) f->send(body);
}

std::vector<viewer> hub::viewers_of(const std::string& appointment_id, const room* r) const {
  std::vector<viewer> viewers;
  if (r != nullptr)
    for (const auto& m : r->members) viewers.push_back(viewer_of(*m));
  peers_.append_viewers(appointment_id, viewers);
  return viewers;
}

void hub::send_presence(const std::string& appointment_id, const room& r) {
  const auto body = render_presence(viewers_of(appointment_id, &r));
  for (const auto& m : r.members) m->send(body);
}

bool hub::tab_connected(const std::string& appointment_id, const tab_key& tab) const {
  if (appointment_id == feed_room && std::any_of(feed_.begin(), feed_.end(), [&](const auto& f) {
        return f->id().who.id == tab.first && f->id().session_id == tab.second;
      }))
    return true;
  if (auto it = rooms_.find(appointment_id); it != rooms_.end())
    for (const auto& m : it->second.members)
      if (m->id().who.id == tab.first && m->id().session_id == tab.second) return true;
  return peers_.has_tab(appointment_id, tab);
}

void hub::schedule_tick() {
  if (stopped_) return;
  ticker_.expires_after(settings_.tick);
  ticker_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    tick();
    schedule_tick();
  });
}

void hub::tick() {
  std::lock_guard g(mutex_);
  tell_peers_on_tick();
  for (auto& [id, r] : rooms_) {
    if (r.moved.empty()) continue;
    std::vector<cursor> moved;
    for (const auto& tab : r.moved) moved.push_back(r.cursors.at(tab));
    r.moved.clear();
    fan_out_cursors(r.members, moved);
  }
  release_expired_graces();
  check_members_alive();
  for (const auto& [appointment_id, refresh] : refreshes_.due(std::chrono::steady_clock::now())) {
    if (auto room = rooms_.find(appointment_id); room != rooms_.end())
      for (const auto& m : room->second.members) m->send(refresh);
    for (const auto& f : feed_) f->send(refresh);
  }
}

void hub::start_grace(const std::string& appointment_id, const std::string& user_id, const std::string& session_id) {
  // The tab's heartbeats or saves arriving over REST after this moment mean
  // its person is still there, socket or not: no release at the end.
  graces_.start({appointment_id, user_id, session_id}, clock_.now());
}

void hub::release_expired_graces() {
  for (auto& due : graces_.take_expired(clock_.now())) {
    const auto& who = due.who;
    const tab_key tab{who.user_id, who.session_id};
    if (tab_connected(who.appointment_id, tab)) continue;  // came back on another process
    if (who.appointment_id == feed_room) {
      // Gone from the app altogether: its places in line go, but not where it still has the
      // appointment open.
      asio::post(blocking_, [this, due = std::move(due), tab] {
        try {
          leave_lines_after_grace(locks_, due, [&](const std::string& appointment_id) {
            std::lock_guard g(mutex_);
            return tab_connected(appointment_id, tab);
          });
        } catch (const std::exception& e) {
          spdlog::error("taking a closed tab out of its lines failed: {}", e.what());
        }
      });
      continue;
    }
    // Still in the app, on another page: it keeps its place in line.
    const bool in_app = tab_connected(feed_room, tab);
    asio::post(blocking_, [this, due = std::move(due), in_app] {
      try {
        release_after_grace(locks_, due, in_app);
      } catch (const std::exception& e) {
        spdlog::error("releasing the lock of a closed tab on {} failed: {}", due.who.appointment_id, e.what());
      }
    });
  }
}

void hub::check_members_alive() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_keepalive_ < settings_.keepalive_every) return;
  last_keepalive_ = now;
  for (const auto& [id, r] : rooms_)
    for (const auto& m : r.members) m->check_alive();
  for (const auto& f : feed_) f->check_alive();
}

std::size_t hub::room_count() {
  std::lock_guard g(mutex_);
  return rooms_.size();
}

}  // namespace slotlock
