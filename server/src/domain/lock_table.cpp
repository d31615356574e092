#include "domain/lock_table.hpp"

#include <tuple>

namespace slotlock {

namespace {

// Later states compare greater: the token, then held before ended, then the expiry.
auto order(const lock_state& s) {
  return std::tuple(s.fencing_token, !s.lock, s.lock ? s.lock->expires_at : time_point{});
}

}  // namespace

std::optional<std::optional<lock_record>> lock_table::find(const std::string& appointment_id, time_point now) const {
  std::lock_guard g(mutex_);
  const auto it = by_appointment_.find(appointment_id);
  if (it == by_appointment_.end()) return std::nullopt;
  const auto& lock = it->second.lock;
  if (!lock || lock->expires_at <= now) return std::optional<lock_record>{};
  return std::optional<lock_record>(*lock);
}

std::uint64_t lock_table::generation() const {
  std::lock_guard g(mutex_);
  return generation_;
}

void lock_table::keep(const std::string& appointment_id, const lock_state& state, std::uint64_t since) {
  std::lock_guard g(mutex_);
  if (since == generation_) merge(appointment_id, state);
}

std::optional<std::vector<lock_record>> lock_table::held(time_point now) const {
  std::lock_guard g(mutex_);
  if (!knows_all_held_) return std::nullopt;
  std::vector<lock_record> out;
  for (const auto& [id, state] : by_appointment_)
    if (state.lock && state.lock->expires_at > now) out.push_back(*state.lock);
  return out;
}

void lock_table::fill_held(const std::vector<lock_record>& locks, std::uint64_t since) {
  std::lock_guard g(mutex_);
  if (since != generation_) return;
  for (const auto& l : locks) merge(l.appointment_id, {l.fencing_token, l});
  knows_all_held_ = since == generation_;  // merging may have evicted
}

void lock_table::apply(const event& e) {
  if (const auto* deleted = std::get_if<appointment_deleted>(&e)) {
    // Its lock went with it; asked again, the store says there is no such appointment.
    std::lock_guard g(mutex_);
    by_appointment_.erase(deleted->appointment_id);
    return;
  }
  const auto* l = std::get_if<lock_event>(&e);
  if (!l) return;
  std::lock_guard g(mutex_);
  switch (l->kind) {
    case lock_event_kind::acquired:
    case lock_event_kind::refreshed:
    case lock_event_kind::granted:
    case lock_event_kind::taken_over:
      if (l->lock) merge(l->appointment_id, {l->lock->fencing_token, l->lock});
      break;
    case lock_event_kind::released:
    case lock_event_kind::expired:
      if (l->ended_token)
        merge(l->appointment_id, {*l->ended_token, std::nullopt});
      else
        by_appointment_.erase(l->appointment_id);  // cannot be ordered: read it again
      break;
    case lock_event_kind::queue_changed:
    case lock_event_kind::control_requested:
    case lock_event_kind::control_declined:
    case lock_event_kind::offered:  // an offered lock is free
    case lock_event_kind::offer_ended: break;
  }
}

void lock_table::clear() {
  std::lock_guard g(mutex_);
  ++generation_;
  knows_all_held_ = false;
  by_appointment_.clear();
}

std::size_t lock_table::size() const {
  std::lock_guard g(mutex_);
  return by_appointment_.size();
}

void lock_table::merge(const std::string& appointment_id, const lock_state& state) {
  auto it = by_appointment_.find(appointment_id);
  if (it == by_appointment_.end()) {
    make_room();
    by_appointment_.emplace(appointment_id, state);
  } else if (order(state) > order(it->second)) {
    it->second = state;
  }
}

void lock_table::make_room() {
  if (by_appointment_.size() < capacity_) return;
  // Free locks are the cheapest to read again; if every one is held, all go. Either way a
  // read in flight may hold an older state of what went: it must not be kept.
  ++generation_;
  std::erase_if(by_appointment_, [](const auto& entry) { return !entry.second.lock; });
  if (by_appointment_.size() >= capacity_) {
    by_appointment_.clear();
    knows_all_held_ = false;
  }
}

}  // namespace slotlock
