#pragma once
// What happened to an appointment's lock or data, published for the real-time
// channel. The in-process bus delivers synchronously to every subscriber; a
// PostgreSQL bus fans the same events out between processes.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/appointment.hpp"
#include "domain/lock.hpp"
#include "domain/user.hpp"

namespace slotlock {

class store_tx;

enum class lock_event_kind {
  acquired,
  refreshed,
  released,
  expired,
  granted,
  taken_over,
  queue_changed,
  control_requested,
  control_declined,  // the deadline passed and the holder kept editing
  offered,           // the free lock is reserved for the head of the line
  offer_ended,       // accepted, declined, expired, left (the tab went away) or deleted
};

// The kinds' names, indexed by the enum (the metrics' `kind` label).
inline constexpr std::array<std::string_view, 11> lock_event_kind_names{
    "acquired",      "refreshed",         "released",         "expired", "granted",    "taken_over",
    "queue_changed", "control_requested", "control_declined", "offered", "offer_ended"};
static_assert(static_cast<std::size_t>(lock_event_kind::offer_ended) + 1 == lock_event_kind_names.size());

struct lock_event {
  lock_event_kind kind = lock_event_kind::acquired;
  std::string appointment_id;
  std::optional<lock_record> lock;          // acquired, refreshed, granted, taken_over
  std::optional<user_ref> previous_holder;  // released, expired, taken_over
  std::optional<std::int64_t> ended_token;  // released, expired: the fencing token of the lock that ended
  std::optional<user_ref> by;               // taken_over, control_requested, control_declined
  std::string reason;                       // released: user, disconnect, force, ...
  std::vector<queue_entry> queue;           // queue_changed
  std::optional<time_point> deadline;       // control_requested, control_declined
  std::optional<lock_offer> offer;          // offered, offer_ended
};

struct appointment_updated {
  std::string appointment_id;
  std::int64_t version = 0;
  user_ref updated_by;
};

// A new appointment, for every open list.
struct appointment_created {
  appointment created;
};

// The holder deleted the appointment: its lock went with it, its room closes.
struct appointment_deleted {
  std::string appointment_id;
  user_ref by;
};

// A sign-in ended (logout, or the user was disabled or given a new
// password): that session's sockets close and its activity no longer counts.
struct session_ended {
  std::string user_id;
  std::string auth_session;  // the session's token hash; empty: every session of the user
};

// A user's name, role or standing changed: whatever was remembered of them is read afresh.
struct user_changed {
  std::string user_id;
};

using event = std::variant<lock_event, appointment_updated, appointment_created, appointment_deleted, session_ended,
                           user_changed>;

class event_bus {
 public:
  using handler = std::function<void(const event&)>;
  virtual ~event_bus() = default;
  virtual void publish(const event& e) = 0;
  // Handlers run on the publisher's thread (or the bus's own) and must not block.
  virtual void subscribe(handler h) = 0;

  // A writer hands each event of a change to the bus twice, and the bus acts
  // on the one that fits it. publish_in(): inside the transaction that made
  // the change, about to commit — a bus riding on the store's transactions
  // (PostgreSQL's NOTIFY, delivered at commit, in commit order, to every
  // process) sends it there, so a rolled-back attempt publishes nothing.
  // publish_committed(): after the commit — an in-process bus publishes it there.
  // Viewers see an appointment's events in commit order: publish_committed runs in the
  // store's after_commit work, which runs in commit order (store_tx::after_commit), and
  // NOTIFY is delivered in commit order.
  virtual void publish_in(store_tx& tx, const event& e) {
    (void)tx;
    (void)e;
  }
  virtual void publish_committed(const event& e) { publish(e); }
  // Told when events may have been missed (the bus lost its connection and
  // is back): subscribers read the state afresh. An in-process bus never misses any.
  // NOLINTNEXTLINE(performance-unnecessary-value-param): overriders keep it
  virtual void on_resync(std::function<void()> h) { (void)h; }
  // Whether every event now reaches this process's subscribers. A bus that can miss events
  // says false while it is away (and resyncs when back): caches kept current by events trust
  // nothing meanwhile.
  virtual bool delivering() const { return true; }

  // Word between the processes that share the bus, outside any transaction,
  // best effort and unordered between senders: what each process's hub tells
  // the others about the viewers it serves (presence, pointers, liveness).
  // Every process receives its own messages too. An in-process bus has no
  // one to tell: has_peers() is false and broadcast() does nothing.
  virtual bool has_peers() const { return false; }
  // NOLINTNEXTLINE(performance-unnecessary-value-param): overriders keep it
  virtual void broadcast(std::string payload) { (void)payload; }
  // NOLINTNEXTLINE(performance-unnecessary-value-param): overriders keep it
  virtual void on_broadcast(std::function<void(std::string_view)> h) { (void)h; }
};

class in_process_event_bus final : public event_bus {
 public:
  void publish(const event& e) override {
    std::vector<std::shared_ptr<handler>> targets;
    {
      std::lock_guard g(mutex_);
      targets = handlers_;
    }
    for (const auto& h : targets) (*h)(e);
  }
  void subscribe(handler h) override {
    std::lock_guard g(mutex_);
    handlers_.push_back(std::make_shared<handler>(std::move(h)));
  }

 private:
  std::mutex mutex_;
  std::vector<std::shared_ptr<handler>> handlers_;
};

}  // namespace slotlock
