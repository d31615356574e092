#pragma once
// The scale-out store: one PostgreSQL database shared by several slotlock
// processes. Every lock decision is one conditional statement, and the
// writers of one appointment take turns on its lock row (read_lock in a
// transaction is SELECT … FOR UPDATE), so the rules hold under READ
// COMMITTED across processes (ADR 0002, ADR 0010).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/store.hpp"
#include "store/postgres/pg_db.hpp"

namespace slotlock {

class pg_store final : public store {
 public:
  // Connects to `url` (postgres://… or postgresql://…) and applies the
  // migrations the database has not seen.
  explicit pg_store(const std::string& url, std::size_t max_connections = 8);

  bool create_user(const user& u) override;
  bool save_user(const user& u) override;
  std::optional<user> find_user(std::string_view id) override;
  std::optional<user> find_user_by_email(std::string_view email) override;
  std::vector<user> list_users() override;
  std::int64_t count_users() override;

  void create_auth_session(const auth_session& s) override;
  std::optional<session_user> find_session_user(std::string_view token_hash, time_point now) override;
  void delete_auth_session(std::string_view token_hash) override;
  void delete_auth_sessions_of(std::string_view user_id) override;

  void create_ws_ticket(std::string_view ticket_hash, std::string_view user_id, std::string_view auth_session,
                        time_point expires_at) override;
  std::optional<ticket_owner> redeem_ws_ticket(std::string_view ticket_hash, time_point now) override;

  std::optional<appointment> find_appointment(std::string_view id) override;
  std::vector<appointment> list_appointments(const appointment_query& q) override;
  std::vector<appointment> find_conflicts(const conflict_query& q) override;
  std::vector<history_entry> history(std::string_view appointment_id) override;
  std::vector<lock_offer> open_offers() override;
  std::optional<lock_offer> offer(std::string_view appointment_id) override;
  std::vector<std::string> lines_of(std::string_view user_id, std::string_view session_id) override;
  std::int64_t count_appointments() override;

  std::optional<lock_slot> read_lock(std::string_view appointment_id) override;
  std::vector<lock_record> held_locks() override;
  std::optional<time_point> next_expiry() override;
  std::vector<queue_entry> queue(std::string_view appointment_id) override;

  std::vector<audit_entry> list_audit(const audit_filter& filter) override;
  void ping() override;

  void transact(const std::function<bool(store_tx&)>& work) override;

 private:
  template <class Work>
  auto read(Work&& work);
  // Runs `work(connection)` in a transaction; commits when it returns true.
  void write(const std::function<bool(pg_connection&)>& work);

  pg_pool pool_;
};

}  // namespace slotlock
