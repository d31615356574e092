#pragma once
// What the other processes sharing the PostgreSQL database said (ADR 0010): who views which
// appointment there, and where their pointers are. Plain data: the hub keeps it under its
// mutex and decides what the words mean for its own rooms.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/lock.hpp"
#include "rooms/frames.hpp"
#include "rooms/peer_message.hpp"

namespace slotlock {

class peer_directory {
 public:
  using steady_time = std::chrono::steady_clock::time_point;

  // A word from a process at `now`; true when it is one we did not know (or had given up).
  bool heard(const std::string& process, steady_time now);
  // A process's viewers of an appointment: the whole list (replace) or the rest of one. The
  // pointers of tabs no longer listed go with them.
  void set_viewers(const std::string& process, const std::string& appointment_id, const std::vector<viewer>& viewers,
                   bool replace);
  // A process's pointer moves; returns them as cursors. Moves of tabs it has not listed are
  // ignored (its viewers are on their way, or it names tabs that are not there).
  std::vector<cursor> move(const std::string& process, const std::string& appointment_id,
                           const std::vector<peer_message::move>& moves);
  // Forgets a process; returns the viewers it had, by appointment.
  std::vector<std::pair<std::string, std::vector<viewer>>> drop(const std::string& process);
  // Processes not heard from since `cutoff`.
  std::vector<std::string> silent_since(steady_time cutoff) const;

  // Across every process:
  void append_viewers(const std::string& appointment_id, std::vector<viewer>& out) const;
  std::vector<cursor> cursors(const std::string& appointment_id) const;
  std::optional<pointer_position> position_of(const std::string& appointment_id, const tab_key& tab) const;
  bool has_tab(const std::string& appointment_id, const tab_key& tab) const;

 private:
  struct room {
    std::vector<viewer> viewers;
    std::map<tab_key, cursor> cursors;
  };
  struct peer {
    steady_time last_heard;
    std::unordered_map<std::string, room> rooms;  // by appointment id
  };
  std::unordered_map<std::string, peer> peers_;  // by process id
};

}  // namespace slotlock
