#pragma once
// Signed-in sessions remembered in memory: a bearer token's hash to its user and the
// session's end, so that authenticating a request needs no store call and no other thread.
// The store stays the source of truth; this is filled from it on a miss and emptied by the
// events that end or change sessions (session_ended, user_changed), which reach every
// process through the event bus. An entry can therefore be stale only until such an event
// arrives; while the bus cannot promise delivery (event_bus::delivering), nothing is trusted.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "domain/events.hpp"
#include "domain/time.hpp"
#include "domain/user.hpp"

namespace slotlock {

class session_cache {
 public:
  explicit session_cache(std::size_t capacity = 65'536) : capacity_(capacity) {}

  // The session's user when it is remembered and has not ended at `now`.
  std::optional<user> find(const std::string& token_hash, time_point now) const;

  // A miss is read from the store between these two calls: take the generation first, keep
  // what the store said after. An event that arrived in between wins (the entry is not kept),
  // so a session ended while it was being read is never remembered as open.
  std::uint64_t generation() const;
  void keep(const std::string& token_hash, const session_user& s, std::uint64_t since, time_point now);

  // Applies session_ended and user_changed; other events do not concern sessions.
  void apply(const event& e);
  // Forgets everything (events may have been missed).
  void clear();

  std::size_t size() const;

 private:
  void forget_user(const std::string& user_id);  // mutex_ held

  mutable std::mutex mutex_;
  std::unordered_map<std::string, session_user> by_hash_;
  std::uint64_t generation_ = 0;
  std::size_t capacity_;
};

}  // namespace slotlock
