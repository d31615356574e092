#include "rooms/refresh_throttle.hpp"

namespace slotlock {

bool refresh_throttle::offer(const std::string& appointment_id, frame_body refresh, steady_time now) {
  auto& e = by_appointment_[appointment_id];
  if (e.last_sent != steady_time{} && now - e.last_sent < every_) {
    e.pending = std::move(refresh);
    return false;
  }
  e.last_sent = now;
  e.pending.reset();
  return true;
}

void refresh_throttle::superseded(const std::string& appointment_id) {
  if (auto it = by_appointment_.find(appointment_id); it != by_appointment_.end()) it->second.pending.reset();
}

std::vector<std::pair<std::string, frame_body>> refresh_throttle::due(steady_time now) {
  std::vector<std::pair<std::string, frame_body>> out;
  for (auto it = by_appointment_.begin(); it != by_appointment_.end();) {
    auto& e = it->second;
    if (e.pending && now - e.last_sent >= every_) {
      e.last_sent = now;
      out.emplace_back(it->first, std::move(e.pending));
      e.pending.reset();
    }
    if (!e.pending && now - e.last_sent > 10 * every_)
      it = by_appointment_.erase(it);
    else
      ++it;
  }
  return out;
}

}  // namespace slotlock
