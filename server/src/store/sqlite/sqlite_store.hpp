#pragma once
// The embedded store: one SQLite file in WAL mode, shared by the threads of
// one process (and safely by several processes, at SQLite's pace).

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/store.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace slotlock {

class sqlite_store final : public store {
 public:
  // Opens the database file at `path`, creating it if missing (not its
  // directory), and applies the migrations it has not seen.
  // With `sole_use` (open_store), this is the only process using the file: an exclusive
  // flock on "<path>.lock", held until the store closes. The server keeps sessions, locks and
  // viewers in memory, which a second process writing the same file would silently make
  // wrong. Throws store_error when another process holds it, naming its pid and PostgreSQL.
  // Without it, several store objects may share a file (the store's tests stand two
  // processes for this way).
  explicit sqlite_store(const std::string& path, std::size_t max_connections = 8, bool sole_use = false);
  ~sqlite_store() override;
  sqlite_store(const sqlite_store&) = delete;
  sqlite_store& operator=(const sqlite_store&) = delete;

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
  std::int64_t count_appointments() override;
  std::vector<history_entry> history(std::string_view appointment_id) override;

  std::optional<lock_slot> read_lock(std::string_view appointment_id) override;
  std::vector<lock_record> held_locks() override;
  std::optional<time_point> next_expiry() override;
  std::vector<queue_entry> queue(std::string_view appointment_id) override;
  std::vector<lock_offer> open_offers() override;
  std::optional<lock_offer> offer(std::string_view appointment_id) override;
  std::vector<std::string> lines_of(std::string_view user_id, std::string_view session_id) override;

  std::vector<audit_entry> list_audit(const audit_filter& filter) override;
  void ping() override;

  void transact(const std::function<bool(store_tx&)>& work) override;
  // One transaction for all the jobs' writes (group commit), on the calling thread.
  void run_batch(const std::vector<std::function<void()>>& jobs) override;

 private:
  // The batch open on the calling thread, if it is this store's (run_batch): every call the
  // jobs make goes through its connection.
  struct batch;
  batch* open_batch();

  template <class Work>
  auto read(Work&& work);
  // Runs `work(connection)` in a write transaction; commits when it returns true, then runs
  // `committed` (still in this process's one write turn: in commit order). In a batch: a
  // savepoint, and `committed` waits for the batch's commit.
  template <class Work>
  void write(std::string_view what, Work&& work, std::vector<std::function<void()>>* committed = nullptr);

  // SQLite admits one writer at a time. Queuing this process's writers here
  // hands the database over as soon as it is free, where SQLite's busy
  // handler would make them poll with sleeps. The busy timeout still covers
  // writers in other processes. (A flag and a condition variable rather than
  // std::timed_mutex, whose timed lock ThreadSanitizer cannot follow.)
  void claim_sole_use();

  class writer_turn;
  std::mutex writer_mutex_;
  std::condition_variable writer_done_;
  bool writing_ = false;

  std::string path_;
  int owner_fd_ = -1;  // the flock of claim_sole_use
  sqlite_pool pool_;
};

}  // namespace slotlock
