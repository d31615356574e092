#include "domain/disconnect_grace.hpp"

#include "domain/lock_service.hpp"

namespace slotlock {

void disconnect_graces::start(const tab& t, time_point now) {
  cancel(t);
  const auto at = by_deadline_.emplace(now + grace_, t);
  by_tab_.emplace(t, at);
}

bool disconnect_graces::cancel(const tab& t) {
  const auto it = by_tab_.find(t);
  if (it == by_tab_.end()) return false;
  by_deadline_.erase(it->second);
  by_tab_.erase(it);
  return true;
}

std::vector<disconnect_graces::expired> disconnect_graces::take_expired(time_point now) {
  std::vector<expired> out;
  auto it = by_deadline_.begin();
  for (; it != by_deadline_.end() && it->first <= now; ++it) {
    out.push_back({it->second, it->first - grace_});
    by_tab_.erase(it->second);
  }
  by_deadline_.erase(by_deadline_.begin(), it);
  return out;
}

void disconnect_graces::clear() {
  by_deadline_.clear();
  by_tab_.clear();
}

bool release_after_grace(lock_service& locks, const disconnect_graces::expired& e, bool still_in_app) {
  return locks.release_session(e.who.appointment_id, e.who.user_id, e.who.session_id, "disconnect", e.gone_since,
                               still_in_app);
}

void leave_lines_after_grace(lock_service& locks, const disconnect_graces::expired& e,
                             const std::function<bool(const std::string& appointment_id)>& still_open) {
  for (const auto& appointment_id : locks.lines_of(e.who.user_id, e.who.session_id))
    if (!still_open(appointment_id))
      locks.release_session(appointment_id, e.who.user_id, e.who.session_id, "disconnect", e.gone_since);
}

}  // namespace slotlock
