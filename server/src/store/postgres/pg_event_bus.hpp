#pragma once
// Events between the processes that share one PostgreSQL database (ADR 0010).
// A writer's events go out with its transaction (NOTIFY, delivered at commit
// in commit order); every process — the writer's included — hands its local
// subscribers only what arrives on its LISTEN connection, so all of them see
// one commit-ordered stream. The LISTEN connection runs on a thread of its
// own, reconnects with backoff, and asks subscribers to resync after a gap.
// Broadcasts (the hubs' word about their viewers) travel on a second
// channel, "<channel>_peers", sent in batches by a thread of their own.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "domain/events.hpp"
#include "store/postgres/pg_db.hpp"

namespace slotlock {

class store;

// Compact JSON of an event, below NOTIFY's 8000-byte payload limit: a line
// too long to fit is sent without it and read from the store on arrival.
std::string encode_event(const event& e);
// nullopt for a payload that is not an event of this build.
std::optional<event> decode_event(std::string_view payload, bool* queue_omitted = nullptr);
inline constexpr std::size_t max_notify_payload = 7900;

class pg_event_bus final : public event_bus {
 public:
  // Starts listening and waits (a few seconds at most) until it does.
  pg_event_bus(std::string url, store& s, std::string channel = "slotlock_events");
  ~pg_event_bus() override;
  pg_event_bus(const pg_event_bus&) = delete;
  pg_event_bus& operator=(const pg_event_bus&) = delete;

  // Outside a transaction: a NOTIFY of its own.
  void publish(const event& e) override;
  void subscribe(handler h) override;
  void publish_in(store_tx& tx, const event& e) override;
  void publish_committed(const event& e) override { (void)e; }  // sent with the commit already
  void on_resync(std::function<void()> h) override;
  bool has_peers() const override { return true; }
  // Queued, never blocking; payloads over max_notify_payload are refused
  // (logged), and when the sender falls behind the oldest are dropped.
  void broadcast(std::string payload) override;
  void on_broadcast(std::function<void(std::string_view)> h) override;

  void stop();
  bool listening() const { return listening_; }
  bool delivering() const override { return listening_; }

 private:
  void listen_loop();
  void send_loop();
  void dispatch(const pg_connection::notification& n);
  void deliver(const std::string& payload);
  void deliver_broadcast(const std::string& payload);
  void sleep_unless_stopped(std::chrono::milliseconds d);

  std::string url_;
  store& store_;
  std::string channel_;
  std::string peers_channel_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::shared_ptr<handler>> handlers_;
  std::vector<std::shared_ptr<std::function<void()>>> resync_handlers_;
  std::vector<std::shared_ptr<std::function<void(std::string_view)>>> broadcast_handlers_;
  std::deque<std::string> outbox_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_{false};
  std::thread thread_;
  std::thread sender_;
};

}  // namespace slotlock
