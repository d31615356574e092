#pragma once
// The appointments' locks as this process last heard of them, so that lock-status, the
// WebSocket snapshot and the upgrade's "does this viewer hold the lock" are answered from
// memory on the caller's thread. The store stays the arbiter: grants are conditional writes
// there, and a save is checked against the stored fencing token, so this table can make an
// answer stale (for as long as an event takes to arrive) but never lets anyone save.
//
// It is filled by store reads on a miss and kept current by lock events. Either can arrive
// late, so states are ordered rather than applied as they come: a grant of token t is newer
// than anything of an earlier token, the end of lock t (released, expired) newer than lock t
// itself, and of two states of the same held lock the later expiry wins. A late read or a
// late event therefore never brings back an older state.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/events.hpp"
#include "domain/lock.hpp"
#include "domain/time.hpp"

namespace slotlock {

// One appointment's lock: the token of its latest grant, and the lock while it is held
// (possibly past its expiry: expired is decided when asked).
struct lock_state {
  std::int64_t fencing_token = 0;
  std::optional<lock_record> lock;
};

class lock_table {
 public:
  explicit lock_table(std::size_t capacity = 100'000) : capacity_(capacity) {}

  // nullopt when the appointment is not remembered; else its lock if held and unexpired at `now`.
  std::optional<std::optional<lock_record>> find(const std::string& appointment_id, time_point now) const;

  // A miss is read from the store between these two calls (as with session_cache): a read
  // that overlapped a clear() or an eviction is not kept, since what it would overwrite is gone.
  std::uint64_t generation() const;
  void keep(const std::string& appointment_id, const lock_state& state, std::uint64_t since);

  // Every lock held and unexpired at `now`, when the table knows them all: after fill_held(),
  // until a clear() or the eviction of a held entry. nullopt otherwise.
  std::optional<std::vector<lock_record>> held(time_point now) const;
  // Every held lock, read from the store after generation() returned `since`: merged like any
  // read, and unless a clear or an eviction overlapped, the table then knows every held lock
  // (each later grant arrives as an event).
  void fill_held(const std::vector<lock_record>& locks, std::uint64_t since);

  // Applies a lock event (others do not concern locks).
  void apply(const event& e);
  void clear();
  std::size_t size() const;

 private:
  void merge(const std::string& appointment_id, const lock_state& state);  // mutex_ held
  void make_room();                                                        // mutex_ held

  mutable std::mutex mutex_;
  std::unordered_map<std::string, lock_state> by_appointment_;
  std::uint64_t generation_ = 0;
  bool knows_all_held_ = false;
  std::size_t capacity_;
};

}  // namespace slotlock
