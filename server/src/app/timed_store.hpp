#pragma once
// Every call to the store, timed and its failures counted, for /metrics: a decorator around the
// real store (open_store), so no caller can forget to measure. The labels are the calls' names
// (a fixed set) and three kinds of failure.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <type_traits>

#include "domain/store.hpp"
#include "runtime/latency_histogram.hpp"

namespace slotlock {

class timed_store final : public store {
 public:
  // The calls, in the order of `operations`.
  enum class op : std::size_t {
    create_user,
    save_user,
    find_user,
    find_user_by_email,
    list_users,
    count_users,
    create_auth_session,
    find_session_user,
    delete_auth_session,
    delete_auth_sessions_of,
    create_ws_ticket,
    redeem_ws_ticket,
    find_appointment,
    list_appointments,
    find_conflicts,
    count_appointments,
    history,
    read_lock,
    held_locks,
    next_expiry,
    queue,
    open_offers,
    offer,
    lines_of,
    list_audit,
    ping,
    transact,
    run_batch,
  };
  static constexpr std::array<std::string_view, 28> operations{
      "create_user",
      "save_user",
      "find_user",
      "find_user_by_email",
      "list_users",
      "count_users",
      "create_auth_session",
      "find_session_user",
      "delete_auth_session",
      "delete_auth_sessions_of",
      "create_ws_ticket",
      "redeem_ws_ticket",
      "find_appointment",
      "list_appointments",
      "find_conflicts",
      "count_appointments",
      "history",
      "read_lock",
      "held_locks",
      "next_expiry",
      "queue",
      "open_offers",
      "offer",
      "lines_of",
      "list_audit",
      "ping",
      "transact",
      "run_batch",
  };
  // busy: SQLITE_BUSY past its timeout and the like (503 SERVER_BUSY); unavailable: the store
  // could not be reached or failed (store_error, 503 STORE_UNAVAILABLE); other: anything else.
  static constexpr std::array<std::string_view, 3> failure_kinds{"busy", "unavailable", "other"};

  struct operation_stats {
    latency_histogram latency;
    std::array<std::atomic<std::uint64_t>, failure_kinds.size()> failures{};
  };

  explicit timed_store(std::unique_ptr<store> inner) : inner_(std::move(inner)) {}

  const operation_stats& stats(std::size_t operation) const { return stats_[operation]; }
  static_assert(static_cast<std::size_t>(op::run_batch) + 1 == operations.size());

  bool create_user(const user& u) override {
    return timed(op::create_user, [&] { return inner_->create_user(u); });
  }
  bool save_user(const user& u) override {
    return timed(op::save_user, [&] { return inner_->save_user(u); });
  }
  std::optional<user> find_user(std::string_view id) override {
    return timed(op::find_user, [&] { return inner_->find_user(id); });
  }
  std::optional<user> find_user_by_email(std::string_view email) override {
    return timed(op::find_user_by_email, [&] { return inner_->find_user_by_email(email); });
  }
  std::vector<user> list_users() override {
    return timed(op::list_users, [&] { return inner_->list_users(); });
  }
  std::int64_t count_users() override {
    return timed(op::count_users, [&] { return inner_->count_users(); });
  }
  void create_auth_session(const auth_session& s) override {
    timed(op::create_auth_session, [&] { inner_->create_auth_session(s); });
  }
  std::optional<session_user> find_session_user(std::string_view token_hash, time_point now) override {
    return timed(op::find_session_user, [&] { return inner_->find_session_user(token_hash, now); });
  }
  void delete_auth_session(std::string_view token_hash) override {
    timed(op::delete_auth_session, [&] { inner_->delete_auth_session(token_hash); });
  }
  void delete_auth_sessions_of(std::string_view user_id) override {
    timed(op::delete_auth_sessions_of, [&] { inner_->delete_auth_sessions_of(user_id); });
  }
  void create_ws_ticket(std::string_view ticket_hash, std::string_view user_id, std::string_view auth_session,
                        time_point expires_at) override {
    timed(op::create_ws_ticket, [&] { inner_->create_ws_ticket(ticket_hash, user_id, auth_session, expires_at); });
  }
  std::optional<ticket_owner> redeem_ws_ticket(std::string_view ticket_hash, time_point now) override {
    return timed(op::redeem_ws_ticket, [&] { return inner_->redeem_ws_ticket(ticket_hash, now); });
  }
  std::optional<appointment> find_appointment(std::string_view id) override {
    return timed(op::find_appointment, [&] { return inner_->find_appointment(id); });
  }
  std::vector<appointment> list_appointments(const appointment_query& q) override {
    return timed(op::list_appointments, [&] { return inner_->list_appointments(q); });
  }
  std::vector<appointment> find_conflicts(const conflict_query& q) override {
    return timed(op::find_conflicts, [&] { return inner_->find_conflicts(q); });
  }
  std::int64_t count_appointments() override {
    return timed(op::count_appointments, [&] { return inner_->count_appointments(); });
  }
  std::vector<history_entry> history(std::string_view appointment_id) override {
    return timed(op::history, [&] { return inner_->history(appointment_id); });
  }
  std::optional<lock_slot> read_lock(std::string_view appointment_id) override {
    return timed(op::read_lock, [&] { return inner_->read_lock(appointment_id); });
  }
  std::vector<lock_record> held_locks() override {
    return timed(op::held_locks, [&] { return inner_->held_locks(); });
  }
  std::optional<time_point> next_expiry() override {
    return timed(op::next_expiry, [&] { return inner_->next_expiry(); });
  }
  std::vector<queue_entry> queue(std::string_view appointment_id) override {
    return timed(op::queue, [&] { return inner_->queue(appointment_id); });
  }
  std::vector<lock_offer> open_offers() override {
    return timed(op::open_offers, [&] { return inner_->open_offers(); });
  }
  std::optional<lock_offer> offer(std::string_view appointment_id) override {
    return timed(op::offer, [&] { return inner_->offer(appointment_id); });
  }
  std::vector<std::string> lines_of(std::string_view user_id, std::string_view session_id) override {
    return timed(op::lines_of, [&] { return inner_->lines_of(user_id, session_id); });
  }
  std::vector<audit_entry> list_audit(const audit_filter& filter) override {
    return timed(op::list_audit, [&] { return inner_->list_audit(filter); });
  }
  void ping() override {
    timed(op::ping, [&] { inner_->ping(); });
  }
  void transact(const std::function<bool(store_tx&)>& work) override {
    timed(op::transact, [&] { inner_->transact(work); });
  }
  void run_batch(const std::vector<std::function<void()>>& jobs) override {
    timed(op::run_batch, [&] { inner_->run_batch(jobs); });
  }

 private:
  template <class F>
  auto timed(op operation, F work) -> decltype(work()) {
    auto& s = stats_[static_cast<std::size_t>(operation)];
    const auto started = std::chrono::steady_clock::now();
    try {
      if constexpr (std::is_void_v<decltype(work())>) {
        work();
        s.latency.observe(seconds_since(started));
      } else {
        auto out = work();
        s.latency.observe(seconds_since(started));
        return out;
      }
    } catch (const busy_error&) {
      fail(s, 0, started);
      throw;
    } catch (const store_error&) {
      fail(s, 1, started);
      throw;
    } catch (...) {
      fail(s, 2, started);
      throw;
    }
  }
  static double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  }
  static void fail(operation_stats& s, std::size_t kind, std::chrono::steady_clock::time_point started) {
    s.latency.observe(seconds_since(started));
    s.failures[kind].fetch_add(1, std::memory_order_relaxed);
  }

  std::unique_ptr<store> inner_;
  std::array<operation_stats, operations.size()> stats_{};
};

}  // namespace slotlock
