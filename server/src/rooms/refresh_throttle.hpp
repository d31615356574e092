#pragma once
// lock.refreshed for viewers, at most once per `every` per appointment: every keystroke of the
// holder may refresh the lock, and viewers need only a fresh expiry now and then. A refresh
// held back goes out when its time comes, unless a newer lock state made it stale. Plain data:
// the hub keeps it under its mutex.

#include <chrono>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rooms/frames.hpp"

namespace slotlock {

class refresh_throttle {
 public:
  using steady_time = std::chrono::steady_clock::time_point;

  explicit refresh_throttle(std::chrono::milliseconds every) : every_(every) {}

  // A refresh at `now`: true when it goes out now; false when it is held back.
  bool offer(const std::string& appointment_id, frame_body refresh, steady_time now);
  // Another lock event of the appointment: a refresh held back is stale.
  void superseded(const std::string& appointment_id);
  // The refreshes held back whose time has come. Appointments quiet for a while are forgotten.
  std::vector<std::pair<std::string, frame_body>> due(steady_time now);
  std::size_t size() const { return by_appointment_.size(); }

 private:
  struct entry {
    steady_time last_sent{};
    frame_body pending;
  };
  std::chrono::milliseconds every_;
  std::unordered_map<std::string, entry> by_appointment_;
};

}  // namespace slotlock
