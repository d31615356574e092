#pragma once
// The lock rules of PRODUCT.md section 2, over the store's conditional writes.
// The store is the arbiter: each decision is one conditional write, so two
// threads or two processes can never both be told they hold a lock.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/events.hpp"
#include "domain/lock.hpp"
#include "domain/lock_table.hpp"
#include "domain/rate_limiter.hpp"
#include "domain/time.hpp"
#include "domain/transaction.hpp"
#include "domain/user.hpp"

namespace slotlock {

class store;
class store_tx;
struct lock_slot;

struct lock_settings {
  seconds ttl{300};
  seconds control_grace{30};
  seconds offer_timeout{60};       // how long the head of the line has to take a lock offered to them
  double attempts_per_second = 5;  // per user; a burst of six seconds' worth
};

struct acquire_request {
  std::string appointment_id;
  user caller;
  std::string session_id;
  bool takeover = false;
  bool queue = false;
  // With takeover: the token of the lock the admin confirmed taking over.
  // When the lock has changed hands since, the takeover is refused.
  std::optional<std::int64_t> confirmed_token;
};

struct acquire_outcome {
  enum class kind { acquired, refreshed, taken_over, queued };
  kind what = kind::acquired;
  std::optional<lock_record> lock;  // all but queued
  int position = 0;                 // queued: 1 is next
};

struct release_request {
  std::string appointment_id;
  user caller;
  bool force = false;
};

// True while `slot` holds a lock that has not expired at `now`.
bool is_live(const lock_slot& slot, time_point now);

class lock_service {
 public:
  lock_service(store& s, const clock& c, event_bus& bus, lock_settings settings);

  const lock_settings& settings() const { return settings_; }

  // The unexpired lock, or nullopt. Errors: not_found. From memory when the lock table knows
  // the appointment, else from the store (which blocks), remembering what it says.
  result<std::optional<lock_record>> status(const std::string& appointment_id);
  // The same from memory only, on the caller's thread: nullopt when only the store can tell.
  std::optional<result<std::optional<lock_record>>> status_from_memory(const std::string& appointment_id) const;
  // Every unexpired lock, for the appointment list.
  std::vector<lock_record> live_locks();

  // Errors: not_found, lock_held (with the holder), forbidden, rate_limited, bad_request.
  result<acquire_outcome> acquire(const acquire_request& req);
  // Activity of the holder's tab. Errors: not_found, not_holder.
  result<lock_record> heartbeat(const std::string& appointment_id, const user& caller, const std::string& session_id);
  // true when a lock was released. Errors: not_found, forbidden, not_lock_owner.
  result<bool> release(const release_request& req);
  // The tab `session_id` of `user_id` went away: releases the lock if it
  // still holds it (reason audited) and takes it out of the line. With
  // `idle_since` (when its socket closed), a holder whose heartbeats or saves
  // arrived over REST after that is still there and keeps the lock. Returns
  // whether a lock was released.
  // With `keep_line`, the tab keeps its place in line and its offer (it is still in the app,
  // on another page), and only a held lock goes.
  bool release_session(const std::string& appointment_id, const std::string& user_id, const std::string& session_id,
                       const std::string& reason, std::optional<time_point> idle_since = std::nullopt,
                       bool keep_line = false);
  // An admin asks the holder to hand over; returns the deadline. Errors:
  // not_found, forbidden, not_locked, conflict (already holds it, or another
  // admin asked first), bad_request.
  result<time_point> request_control(const std::string& appointment_id, const user& admin,
                                     const std::string& session_id);
  // Leaves the line; for the user offered the lock (from any of their tabs), declines the
  // offer, which moves to the next in line. Errors: not_found.
  result<bool> leave_queue(const std::string& appointment_id, const user& caller, const std::string& session_id);
  // The appointments whose line holds the tab, or whose lock is offered to it.
  std::vector<std::string> lines_of(const std::string& user_id, const std::string& session_id);
  // The offer open for an appointment, if any (as stored: may be past its deadline).
  std::optional<lock_offer> offer(const std::string& appointment_id);
  // Every open offer, for the list feed's snapshot.
  std::vector<lock_offer> open_offers();
  result<std::vector<queue_entry>> queue(const std::string& appointment_id);

  // Expires every lock past its time, settles every control request past
  // its deadline and passes on every offer past its own; called by the expiry timer.
  void expire_due();
  std::optional<time_point> next_expiry();

  // Whether a tab has a socket open in the appointment's room (on any
  // process): a place in the line needs one, so a tab that is not there
  // cannot be handed the lock. Unset: every tab counts as there.
  using tab_presence =
      std::function<bool(const std::string& appointment_id, const std::string& user_id, const std::string& session_id)>;
  void on_tab_presence(tab_presence p) { tab_presence_ = std::move(p); }
  // Lock events this process committed, by kind (each process counts its own).
  std::uint64_t committed_events(lock_event_kind kind) const {
    return committed_[static_cast<std::size_t>(kind)].load(std::memory_order_relaxed);
  }
  // Told of every new expiry time, so a timer can wake earlier.
  void on_new_expiry(std::function<void(time_point)> listener) { expiry_listener_ = std::move(listener); }

 private:
  struct tx_context;
  // Runs `work` in a store transaction (transact_with_events); once it committed, its events
  // update the lock table and may bring the expiry timer forward.
  void run(const std::function<step(tx_context&)>& work);
  // Frees `slot`'s lock and hands it to the admin who asked for control of
  // it (unless `honour_control` is false: a forced release), else to the head
  // of the line. `why` is audited. false: lost a race.
  bool free_and_hand_over(tx_context& ctx, const lock_slot& slot, const std::string& why, bool honour_control = true);
  // A control request whose deadline passed. false: lost a race.
  bool settle(tx_context& ctx, const control_request& request);
  // Audits and frees a lock whose time ran out. false: lost a race.
  bool expire(tx_context& ctx, const lock_slot& slot);
  // Offers the free lock to the head of the line, if anyone waits.
  void offer_to_next(tx_context& ctx, const std::string& appointment_id, const std::optional<user_ref>& previous);
  // Ends the open offer (`why`: declined, expired, left) and offers the lock to the next in line.
  void pass_offer(tx_context& ctx, const lock_offer& offer, const std::string& why);

  store& store_;
  const clock& clock_;
  event_bus& bus_;
  lock_settings settings_;
  rate_limiter attempts_;
  // Shared with the bus's handlers, which outlive this service (a bus has no unsubscribe).
  std::shared_ptr<lock_table> table_ = std::make_shared<lock_table>();
  std::function<void(time_point)> expiry_listener_;
  tab_presence tab_presence_;
  std::array<std::atomic<std::uint64_t>, lock_event_kind_names.size()> committed_{};
};

}  // namespace slotlock
