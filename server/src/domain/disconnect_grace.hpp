#pragma once
// The disconnect grace (PRODUCT.md section 2): a tab whose last socket closed keeps its lock for
// a while, in case it is a reload or a network blip. Back in time (here or on another process),
// nothing happens; not back, its lock is released with reason "disconnect", unless its person
// was active over REST since (lock_service::release_session's `idle_since`).
//
// This table keeps the clocks; whoever owns it asks now and then (the hub, every tick) which
// ran out. One table instead of a timer per closed tab. Not thread-safe: the owner locks.

#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "domain/time.hpp"

namespace slotlock {

class lock_service;

class disconnect_graces {
 public:
  struct tab {
    std::string appointment_id;
    std::string user_id;
    std::string session_id;
    bool operator==(const tab&) const = default;
    // (Not a defaulted <=>: clang-tidy 14 reports its synthesized `0` as a missing nullptr.)
    bool operator<(const tab& o) const {
      return std::tie(appointment_id, user_id, session_id) < std::tie(o.appointment_id, o.user_id, o.session_id);
    }
  };
  struct expired {
    tab who;
    time_point gone_since;
  };

  explicit disconnect_graces(milliseconds grace) : grace_(grace) {}

  // The tab's last socket closed at `now`. Starting a clock already running starts it again.
  void start(const tab& t, time_point now);
  // The tab is back: nothing will be released for it. False when no clock was running.
  bool cancel(const tab& t);
  // The graces that ran out by `now`, oldest first, removed from the table.
  std::vector<expired> take_expired(time_point now);
  void clear();
  std::size_t size() const { return by_tab_.size(); }

 private:
  milliseconds grace_;
  std::multimap<time_point, tab> by_deadline_;
  std::map<tab, std::multimap<time_point, tab>::iterator> by_tab_;
};

// What a grace that ran out means: the tab's lock goes, unless it was used over REST since it
// closed. With `still_in_app` (the tab has the list feed open), it keeps its place in line and
// any offer; without, it leaves them. Returns whether a lock was released.
bool release_after_grace(lock_service& locks, const disconnect_graces::expired& e, bool still_in_app = false);

// The grace of a tab's list feed (appointment_id empty) ran out: the tab left the app. It leaves
// every line it waits in and passes on every offer made to it, except for the appointments it
// still has open (`still_open`).
void leave_lines_after_grace(lock_service& locks, const disconnect_graces::expired& e,
                             const std::function<bool(const std::string& appointment_id)>& still_open);

}  // namespace slotlock
