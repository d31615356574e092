#include "domain/lock_service.hpp"

#include <algorithm>
#include <set>

#include "domain/session_id.hpp"
#include "domain/store.hpp"
#include "domain/transaction.hpp"

namespace slotlock {

namespace {

// Every change sends the whole line to each viewer: keep it short.
constexpr std::size_t max_line = 50;

bool held_by(const lock_record& l, const std::string& user_id, const std::string& session_id) {
  return l.holder.id == user_id && l.session_id == session_id;
}

lock_event make_event(lock_event_kind kind, const std::string& appointment_id) {
  lock_event e;
  e.kind = kind;
  e.appointment_id = appointment_id;
  return e;
}

error no_such_appointment() { return make_error(errc::not_found, "No such appointment."); }

error bad_session_id() { return make_error(errc::bad_request, std::string(session_id_rule)); }

error offered_to(const lock_offer& offer) {
  auto e = make_error(errc::lock_offered, "This appointment is free, but " + offer.who.name +
                                              " is next in line and has until " + format_iso(offer.deadline) +
                                              " to start editing it.");
  e.offer = std::make_shared<const lock_offer>(offer);
  return e;
}

// The audit's reason for an offer that ended.
std::string_view offer_reason(std::string_view why) {
  if (why == "declined") return "user";
  if (why == "expired") return "expiry";
  return "disconnect";
}

}  // namespace

bool is_live(const lock_slot& slot, time_point now) { return slot.lock && slot.lock->expires_at > now; }

struct lock_service::tx_context {
  store_tx& tx;
  time_point now;
  seconds ttl;
  std::vector<event>& events;

  time_point expiry() const { return now + ttl; }

  void audit(const std::string& appointment_id, audit_action action, std::optional<user_ref> actor,
             std::optional<user_ref> previous, std::string reason) {
    audit_entry a;
    a.at = now;
    a.appointment_id = appointment_id;
    a.action = action;
    a.actor = std::move(actor);
    a.previous_holder = std::move(previous);
    a.reason = std::move(reason);
    tx.append_audit(a);
  }

  void emit(lock_event_kind kind, const std::string& appointment_id, std::optional<lock_record> lock = {},
            std::optional<user_ref> previous = {}, std::string reason = {}, std::optional<user_ref> by = {}) {
    auto e = make_event(kind, appointment_id);
    e.lock = std::move(lock);
    e.previous_holder = std::move(previous);
    e.reason = std::move(reason);
    e.by = std::move(by);
    events.emplace_back(std::move(e));
  }

  // The lock `ended` is released or expired.
  void emit_end(lock_event_kind kind, const lock_record& ended, std::string reason, std::optional<user_ref> by = {}) {
    auto e = make_event(kind, ended.appointment_id);
    e.previous_holder = ended.holder;
    e.ended_token = ended.fencing_token;
    e.reason = std::move(reason);
    e.by = std::move(by);
    events.emplace_back(std::move(e));
  }

  void emit_offer(lock_event_kind kind, const lock_offer& offer, std::string reason = {}) {
    auto e = make_event(kind, offer.appointment_id);
    e.offer = offer;
    e.reason = std::move(reason);
    if (kind == lock_event_kind::offered) e.deadline = offer.deadline;
    events.emplace_back(std::move(e));
  }

  void emit_queue(const std::string& appointment_id) {
    auto e = make_event(lock_event_kind::queue_changed, appointment_id);
    e.queue = tx.queue(appointment_id);
    events.emplace_back(std::move(e));
  }
};

lock_service::lock_service(store& s, const clock& c, event_bus& bus, lock_settings settings)
    : store_(s),
      clock_(c),
      bus_(bus),
      settings_(settings),
      attempts_(
          c, {.burst = std::max(1.0, settings.attempts_per_second * 6), .per_second = settings.attempts_per_second}) {
  // Every process's lock events keep the table current; a gap in them empties it.
  bus_.subscribe([table = std::weak_ptr(table_)](const event& e) {
    if (auto t = table.lock()) t->apply(e);
  });
  bus_.on_resync([table = std::weak_ptr(table_)] {
    if (auto t = table.lock()) t->clear();
  });
}

void lock_service::run(const std::function<step(tx_context&)>& work) {
  transact_with_events(
      store_, bus_,
      [&](store_tx& tx, std::vector<event>& events) {
        tx_context ctx{tx, clock_.now(), settings_.ttl, events};
        return work(ctx);
      },
      [this](const std::vector<event>& events) {
        // This process's own writes reach its table before the caller is answered, whatever
        // the bus (PostgreSQL's brings them back a moment later).
        std::optional<time_point> earliest;
        for (const auto& e : events) {
          table_->apply(e);
          const auto& l = std::get<lock_event>(e);
          committed_[static_cast<std::size_t>(l.kind)].fetch_add(1, std::memory_order_relaxed);
          for (const auto t : {l.lock ? std::optional(l.lock->expires_at) : std::nullopt, l.deadline})
            if (t && (!earliest || *t < *earliest)) earliest = t;
        }
        if (earliest && expiry_listener_) expiry_listener_(*earliest);
      });
}

bool lock_service::free_and_hand_over(tx_context& ctx, const lock_slot& slot, const std::string& why,
                                      bool honour_control) {
  const auto& id = slot.appointment_id;
  if (!ctx.tx.clear_lock(id, slot.revision)) return false;
  const auto previous = slot.lock ? std::optional(slot.lock->holder) : std::nullopt;

  // An admin who asked this holder for control comes before the line.
  const auto control = ctx.tx.read_control(id);
  if (control) ctx.tx.clear_control(id);
  if (honour_control && control && control->admin_may_take && slot.lock &&
      control->holder_token == slot.lock->fencing_token) {
    auto granted =
        ctx.tx.grant_lock(id, slot.revision + 1, control->admin, control->admin_session_id, ctx.now, ctx.expiry());
    if (!granted) return false;
    ctx.audit(id, audit_action::control_handed_over, control->admin, previous, why);
    ctx.emit(lock_event_kind::granted, id, *granted);
    if (ctx.tx.dequeue(id, control->admin.id, control->admin_session_id)) ctx.emit_queue(id);
    return true;
  }

  offer_to_next(ctx, id, previous);
  return true;
}

void lock_service::offer_to_next(tx_context& ctx, const std::string& appointment_id,
                                 const std::optional<user_ref>& previous) {
  const auto line = ctx.tx.queue(appointment_id);
  if (line.empty()) return;
  const auto& next = line.front();
  const lock_offer offer{appointment_id,  next.who, next.role,
                         next.session_id, ctx.now,  ctx.now + settings_.offer_timeout};
  ctx.tx.dequeue(appointment_id, next.who.id, next.session_id);
  ctx.tx.put_offer(offer);
  ctx.audit(appointment_id, audit_action::offered, next.who, previous, "queue");
  ctx.emit_offer(lock_event_kind::offered, offer);
  ctx.emit_queue(appointment_id);
}

void lock_service::pass_offer(tx_context& ctx, const lock_offer& offer, const std::string& why) {
  ctx.tx.clear_offer(offer.appointment_id);
  ctx.audit(offer.appointment_id, why == "declined" ? audit_action::offer_declined : audit_action::offer_expired,
            offer.who, std::nullopt, std::string(offer_reason(why)));
  ctx.emit_offer(lock_event_kind::offer_ended, offer, why);
  offer_to_next(ctx, offer.appointment_id, std::nullopt);
}

bool lock_service::expire(tx_context& ctx, const lock_slot& slot) {
  ctx.audit(slot.appointment_id, audit_action::expired, std::nullopt, slot.lock->holder, "expiry");
  ctx.emit_end(lock_event_kind::expired, *slot.lock, "expiry");
  return free_and_hand_over(ctx, slot, "expiry");
}

bool lock_service::settle(tx_context& ctx, const control_request& request) {
  const auto& id = request.appointment_id;
  const auto slot = ctx.tx.read_lock(id);
  if (!slot || !is_live(*slot, ctx.now) || slot->lock->fencing_token != request.holder_token ||
      !request.admin_may_take) {
    ctx.tx.clear_control(id);  // the lock changed hands, or the admin may no longer take it
    return true;
  }
  const auto& holder = slot->lock->holder;
  if (slot->lock->last_activity_at > request.requested_at) {
    // The holder kept working: their answer is no, and the admin is told.
    ctx.tx.clear_control(id);
    auto e = make_event(lock_event_kind::control_declined, id);
    e.by = request.admin;
    e.previous_holder = holder;
    e.deadline = request.deadline;
    ctx.events.emplace_back(std::move(e));
    return true;
  }
  ctx.emit_end(lock_event_kind::released, *slot->lock, "control", request.admin);
  return free_and_hand_over(ctx, *slot, "deadline");
}

std::optional<result<std::optional<lock_record>>> lock_service::status_from_memory(
    const std::string& appointment_id) const {
  if (!bus_.delivering()) return std::nullopt;
  if (auto known = table_->find(appointment_id, clock_.now())) return result<std::optional<lock_record>>(*known);
  return std::nullopt;
}

result<std::optional<lock_record>> lock_service::status(const std::string& appointment_id) {
  if (auto known = status_from_memory(appointment_id)) return std::move(*known);
  const auto since = table_->generation();
  const auto slot = store_.read_lock(appointment_id);
  if (!slot) return no_such_appointment();
  if (bus_.delivering()) table_->keep(appointment_id, {slot->fencing_token, slot->lock}, since);
  if (!is_live(*slot, clock_.now())) return std::optional<lock_record>{};
  return slot->lock;
}

std::vector<lock_record> lock_service::live_locks() {
  if (bus_.delivering())
    if (auto known = table_->held(clock_.now())) return std::move(*known);
  const auto since = table_->generation();
  auto locks = store_.held_locks();
  if (bus_.delivering()) table_->fill_held(locks, since);
  const auto now = clock_.now();
  std::erase_if(locks, [&](const lock_record& l) { return l.expires_at <= now; });
  return locks;
}

result<acquire_outcome> lock_service::acquire(const acquire_request& req) {
  if (!valid_session_id(req.session_id)) return bad_session_id();
  if (req.takeover && req.caller.role != role::admin)
    return make_error(errc::forbidden, "Only an admin can take over an appointment.");
  if (const int wait = attempts_.take(req.caller.id)) {
    auto e = make_error(errc::rate_limited, "Too many lock attempts. Wait a moment and try again.");
    e.retry_after_seconds = wait;
    return e;
  }

  const auto& id = req.appointment_id;
  const auto me = ref_of(req.caller);
  const bool tab_here = !req.queue || !tab_presence_ || tab_presence_(id, me.id, req.session_id);
  std::optional<result<acquire_outcome>> out;
  run([&](tx_context& ctx) {
    auto slot = ctx.tx.read_lock(id);
    if (!slot) {
      out = no_such_appointment();
      return step::rollback;
    }
    if (slot->lock && !is_live(*slot, ctx.now)) {
      if (!expire(ctx, *slot)) return step::retry;
      slot = ctx.tx.read_lock(id);
    }

    // A place in line: for a held lock, or a free one offered to someone else.
    const auto join_line = [&] {
      if (!tab_here) {
        out = make_error(
            errc::not_connected,
            "Open the appointment in this tab before waiting in line: the lock is offered to open tabs only.");
        return step::rollback;
      }
      auto mine = [&](const queue_entry& q) { return q.who.id == me.id && q.session_id == req.session_id; };
      auto line = ctx.tx.queue(id);
      if (line.size() >= max_line && std::none_of(line.begin(), line.end(), mine)) {
        out = make_error(errc::queue_full, "Too many people are waiting for this appointment already.");
        return step::rollback;
      }
      ctx.tx.enqueue({id, me, req.caller.role, req.session_id, ctx.now});
      line = ctx.tx.queue(id);
      const auto it = std::find_if(line.begin(), line.end(), mine);
      ctx.emit_queue(id);
      out = acquire_outcome{acquire_outcome::kind::queued, std::nullopt, static_cast<int>(it - line.begin()) + 1};
      return step::commit;
    };

    if (!is_live(*slot, ctx.now)) {
      // A free lock may be reserved for the head of the line: only they may take it.
      auto offer = ctx.tx.read_offer(id);
      if (offer && offer->deadline <= ctx.now) {
        pass_offer(ctx, *offer, "expired");
        offer = ctx.tx.read_offer(id);
      }
      if (offer && offer->who.id != me.id) {
        if (req.queue) return join_line();
        out = offered_to(*offer);
        return step::commit;  // an offer passed on the way is still worth keeping
      }
      auto granted = ctx.tx.grant_lock(id, slot->revision, me, req.session_id, ctx.now, ctx.expiry());
      if (!granted) return step::retry;
      if (offer) {
        ctx.tx.clear_offer(id);
        ctx.audit(id, audit_action::granted, me, std::nullopt, "offer");
        ctx.emit_offer(lock_event_kind::offer_ended, *offer, "accepted");
        ctx.emit(lock_event_kind::granted, id, *granted);
      } else {
        ctx.audit(id, audit_action::acquired, me, std::nullopt, "user");
        ctx.emit(lock_event_kind::acquired, id, *granted);
      }
      if (ctx.tx.dequeue(id, me.id, req.session_id)) ctx.emit_queue(id);
      out = acquire_outcome{acquire_outcome::kind::acquired, std::move(granted), 0};
      return step::commit;
    }

    const lock_record& held = *slot->lock;
    if (held_by(held, me.id, req.session_id)) {
      auto touched = ctx.tx.touch_lock(id, held.fencing_token, ctx.now, ctx.expiry());
      if (!touched) return step::retry;
      ctx.emit(lock_event_kind::refreshed, id, *touched);
      out = acquire_outcome{acquire_outcome::kind::refreshed, std::move(touched), 0};
      return step::commit;
    }
    if (req.takeover) {
      // Two admins racing to take over: the first wins; the second finds an
      // admin holding the lock (or another token than the one confirmed) and
      // is told who won. Admins do not force each other out; they ask.
      if (held.holder_role == role::admin || (req.confirmed_token && *req.confirmed_token != held.fencing_token)) {
        auto e = make_error(errc::lock_held, held.holder.name + " holds this appointment now; ask them for control.");
        e.holder = std::make_shared<const lock_record>(held);
        out = std::move(e);
        return step::rollback;
      }
      auto granted = ctx.tx.grant_lock(id, slot->revision, me, req.session_id, ctx.now, ctx.expiry());
      if (!granted) return step::retry;
      ctx.audit(id, audit_action::taken_over, me, held.holder, "takeover");
      ctx.tx.clear_control(id);  // whoever asked for control, the lock has moved on
      ctx.emit(lock_event_kind::taken_over, id, *granted, held.holder, "takeover", me);
      if (ctx.tx.dequeue(id, me.id, req.session_id)) ctx.emit_queue(id);
      out = acquire_outcome{acquire_outcome::kind::taken_over, std::move(granted), 0};
      return step::commit;
    }
    if (req.queue) return join_line();
    auto e = make_error(errc::lock_held, held.holder.name + " is editing this appointment.");
    e.holder = std::make_shared<const lock_record>(held);
    out = std::move(e);
    return step::commit;  // an expiry found on the way is still worth keeping
  });
  return std::move(*out);
}

result<lock_record> lock_service::heartbeat(const std::string& appointment_id, const user& caller,
                                            const std::string& session_id) {
  if (!valid_session_id(session_id)) return bad_session_id();
  std::optional<result<lock_record>> out;
  run([&](tx_context& ctx) {
    const auto slot = ctx.tx.read_lock(appointment_id);
    if (!slot) {
      out = no_such_appointment();
      return step::rollback;
    }
    if (!is_live(*slot, ctx.now) || !held_by(*slot->lock, caller.id, session_id)) {
      out = make_error(errc::not_holder, "You no longer hold the lock of this appointment.");
      return step::rollback;
    }
    auto touched = ctx.tx.touch_lock(appointment_id, slot->lock->fencing_token, ctx.now, ctx.expiry());
    if (!touched) return step::retry;
    ctx.emit(lock_event_kind::refreshed, appointment_id, *touched);
    out = std::move(*touched);
    return step::commit;
  });
  return std::move(*out);
}

result<bool> lock_service::release(const release_request& req) {
  if (req.force && req.caller.role != role::admin)
    return make_error(errc::forbidden, "Only an admin can force a lock free.");
  const auto& id = req.appointment_id;
  std::optional<result<bool>> out;
  run([&](tx_context& ctx) {
    const auto slot = ctx.tx.read_lock(id);
    if (!slot) {
      out = no_such_appointment();
      return step::rollback;
    }
    if (!slot->lock) {
      out = false;
      return step::rollback;
    }
    if (!is_live(*slot, ctx.now)) {
      out = false;
      return expire(ctx, *slot) ? step::commit : step::retry;
    }
    const auto& held = *slot->lock;
    const auto me = ref_of(req.caller);
    if (req.force) {
      ctx.audit(id, audit_action::force_released, me, held.holder, "force");
      ctx.emit_end(lock_event_kind::released, held, "force", me);
    } else if (held.holder.id == me.id) {
      ctx.audit(id, audit_action::released, me, held.holder, "user");
      ctx.emit_end(lock_event_kind::released, held, "user", me);
    } else {
      auto e = make_error(errc::not_lock_owner, held.holder.name + " holds this lock, not you.");
      e.holder = std::make_shared<const lock_record>(held);
      out = std::move(e);
      return step::rollback;
    }
    // A forced release frees the lock: it is not a hand-over to whoever asked.
    if (!free_and_hand_over(ctx, *slot, req.force ? "force" : "handed_over", !req.force)) return step::retry;
    out = true;
    return step::commit;
  });
  return std::move(*out);
}

bool lock_service::release_session(const std::string& appointment_id, const std::string& user_id,
                                   const std::string& session_id, const std::string& reason,
                                   std::optional<time_point> idle_since, bool keep_line) {
  bool released = false;
  run([&](tx_context& ctx) {
    released = false;
    const auto slot = ctx.tx.read_lock(appointment_id);
    if (!slot) return step::rollback;
    // A tab that is gone waits for nothing either.
    bool left_line = false;
    if (!keep_line) {
      left_line = ctx.tx.dequeue(appointment_id, user_id, session_id);
      if (left_line) ctx.emit_queue(appointment_id);
      if (auto offer = ctx.tx.read_offer(appointment_id);
          offer && offer->who.id == user_id && offer->session_id == session_id) {
        pass_offer(ctx, *offer, "left");
        left_line = true;
      }
    }
    if (!is_live(*slot, ctx.now) || !held_by(*slot->lock, user_id, session_id) ||
        (idle_since && slot->lock->last_activity_at >= *idle_since))  // same millisecond: after the close
      return left_line ? step::commit : step::rollback;
    const auto& holder = slot->lock->holder;
    ctx.audit(appointment_id, audit_action::released, holder, holder, reason);
    ctx.emit_end(lock_event_kind::released, *slot->lock, reason);
    if (!free_and_hand_over(ctx, *slot, reason)) return step::retry;
    released = true;
    return step::commit;
  });
  return released;
}

result<bool> lock_service::leave_queue(const std::string& appointment_id, const user& caller,
                                       const std::string& session_id) {
  if (!valid_session_id(session_id)) return bad_session_id();
  std::optional<result<bool>> out;
  run([&](tx_context& ctx) {
    if (!ctx.tx.read_lock(appointment_id)) {
      out = no_such_appointment();
      return step::rollback;
    }
    bool left = ctx.tx.dequeue(appointment_id, caller.id, session_id);
    if (left) ctx.emit_queue(appointment_id);
    if (auto offer = ctx.tx.read_offer(appointment_id); offer && offer->who.id == caller.id) {
      pass_offer(ctx, *offer, "declined");
      left = true;
    }
    out = left;
    return left ? step::commit : step::rollback;
  });
  return std::move(*out);
}

std::vector<std::string> lock_service::lines_of(const std::string& user_id, const std::string& session_id) {
  return store_.lines_of(user_id, session_id);
}

std::optional<lock_offer> lock_service::offer(const std::string& appointment_id) {
  return store_.offer(appointment_id);
}

std::vector<lock_offer> lock_service::open_offers() { return store_.open_offers(); }

result<std::vector<queue_entry>> lock_service::queue(const std::string& appointment_id) {
  if (!store_.read_lock(appointment_id)) return no_such_appointment();
  return store_.queue(appointment_id);
}

void lock_service::expire_due() {
  // What is due is read once; each appointment is then expired or settled in
  // its own transaction and turn, re-checked there in case it moved on.
  std::set<std::string> due;
  store_.transact([&](store_tx& tx) {
    const auto now = clock_.now();
    for (const auto& slot : tx.due_locks(now)) due.insert(slot.appointment_id);
    for (const auto& request : tx.due_controls(now)) due.insert(request.appointment_id);
    for (const auto& offer : tx.due_offers(now)) due.insert(offer.appointment_id);
    return false;
  });
  for (const auto& id : due) {
    run([&](tx_context& ctx) {
      const auto slot = ctx.tx.read_lock(id);
      if (slot && slot->lock && !is_live(*slot, ctx.now) && !expire(ctx, *slot)) return step::retry;
      if (auto request = ctx.tx.read_control(id); request && request->deadline <= ctx.now && !settle(ctx, *request))
        return step::retry;
      if (auto offer = ctx.tx.read_offer(id); offer && offer->deadline <= ctx.now) pass_offer(ctx, *offer, "expired");
      return step::commit;  // a lapsed request is cleared without an event
    });
  }
}

result<time_point> lock_service::request_control(const std::string& appointment_id, const user& admin,
                                                 const std::string& session_id) {
  if (admin.role != role::admin) return make_error(errc::forbidden, "Only an admin can ask for control.");
  if (!valid_session_id(session_id)) return bad_session_id();
  std::optional<result<time_point>> out;
  run([&](tx_context& ctx) {
    const auto slot = ctx.tx.read_lock(appointment_id);
    if (!slot) {
      out = no_such_appointment();
      return step::rollback;
    }
    if (!is_live(*slot, ctx.now)) {
      out = make_error(errc::not_locked, "Nobody is editing this appointment; press Edit to start.");
      return step::rollback;
    }
    const auto& held = *slot->lock;
    if (held.holder.id == admin.id) {
      out = make_error(errc::conflict, "You are already editing this appointment.");
      return step::rollback;
    }
    const auto pending = ctx.tx.read_control(appointment_id);
    if (pending && pending->holder_token == held.fencing_token && pending->admin.id != admin.id) {
      out = make_error(errc::conflict, pending->admin.name + " has already asked for control.");
      return step::rollback;
    }
    if (pending && pending->holder_token == held.fencing_token) {
      // Asking again keeps the deadline; the lock will go to the tab that asked last.
      auto moved = *pending;
      moved.admin_session_id = session_id;
      ctx.tx.put_control(moved);
      out = pending->deadline;
      return step::commit;
    }
    control_request r{appointment_id,    ref_of(admin), session_id, ctx.now, ctx.now + settings_.control_grace,
                      held.fencing_token};
    ctx.tx.put_control(r);
    ctx.audit(appointment_id, audit_action::control_requested, r.admin, held.holder, "request");
    auto e = make_event(lock_event_kind::control_requested, appointment_id);
    e.by = r.admin;
    e.previous_holder = held.holder;
    e.deadline = r.deadline;
    ctx.events.emplace_back(std::move(e));
    out = r.deadline;
    return step::commit;
  });
  return std::move(*out);
}

std::optional<time_point> lock_service::next_expiry() { return store_.next_expiry(); }

}  // namespace slotlock
