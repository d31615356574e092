#pragma once
// The store: everything slotlock keeps — the domain's port to its data. An interface, so that
// SQLite (the embedded default) and PostgreSQL (scale-out) in store/ implement one contract;
// the domain services are the only callers (the transport talks to services, never to this).
//
// Calls block; callers keep them off the I/O threads. Infrastructure failures
// (disk, busy database, lost connection) throw store_error (domain/error.hpp), which the
// transport turns into 503 STORE_UNAVAILABLE. Expected outcomes (not found, lost a
// race) are return values.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/appointment.hpp"
#include "domain/audit.hpp"
#include "domain/error.hpp"
#include "domain/lock.hpp"
#include "domain/user.hpp"

namespace slotlock {

class event_bus;

// A sign-in session. Only the hash of the bearer token is kept.
struct auth_session {
  std::string token_hash;
  std::string user_id;
  time_point created_at{};
  time_point expires_at{};
};

// The lock of one appointment as stored. `revision` changes with every grant
// and every release, so a conditional write on it is a compare-and-swap: the
// writer wins only if nobody changed the lock since it was read.
// `fencing_token` grows with every grant and is kept while the lock is free.
struct lock_slot {
  std::string appointment_id;
  std::int64_t revision = 0;
  std::int64_t fencing_token = 0;
  std::optional<lock_record> lock;  // as stored: may be past expires_at
};

// Work that must change several rows together. Every write is conditional,
// so the same rules hold on a store where transactions run concurrently
// (PostgreSQL, READ COMMITTED): a write that returns false / nullopt lost a
// race, and the caller rolls back and tries again.
class store_tx {
 public:
  virtual ~store_tx() = default;

  // Tombstones included (deleted_at set).
  virtual std::optional<appointment> find_appointment(std::string_view id) = 0;
  // A new appointment and its free lock slot.
  virtual void insert_appointment(const appointment& a) = 0;
  // Writes `next` only if the stored version is still `expected_version` (and it is not deleted).
  virtual bool update_appointment(const appointment& next, std::int64_t expected_version) = 0;
  // Makes the appointment a tombstone if it is not one yet, and removes its lock slot, line,
  // control request and offer. false: already deleted, or unknown.
  virtual bool delete_appointment(std::string_view id, time_point at, const user_ref& by) = 0;
  virtual void append_history(const history_entry& entry) = 0;

  // nullopt when the appointment does not exist.
  virtual std::optional<lock_slot> read_lock(std::string_view appointment_id) = 0;
  // Grants the lock to `holder` if the slot's revision is still
  // `expected_revision`: fencing_token + 1, revision + 1. Returns the new lock.
  virtual std::optional<lock_record> grant_lock(std::string_view appointment_id, std::int64_t expected_revision,
                                                const user_ref& holder, std::string_view session_id, time_point now,
                                                time_point expires_at) = 0;
  // Records activity of the holder with `fencing_token`, only while its lock
  // has not expired at `now`.
  virtual std::optional<lock_record> touch_lock(std::string_view appointment_id, std::int64_t fencing_token,
                                                time_point now, time_point expires_at) = 0;
  // Frees the lock if the slot's revision is still `expected_revision`.
  virtual bool clear_lock(std::string_view appointment_id, std::int64_t expected_revision) = 0;
  // Held locks whose expires_at <= now.
  virtual std::vector<lock_slot> due_locks(time_point now) = 0;

  // The line of waiters. Adding someone already in line (same user and
  // session) keeps their place. Ordered: admins first, then first come.
  // Disabled users are left out of it.
  virtual void enqueue(const queue_entry& entry) = 0;
  virtual bool dequeue(std::string_view appointment_id, std::string_view user_id, std::string_view session_id) = 0;
  virtual std::vector<queue_entry> queue(std::string_view appointment_id) = 0;

  // At most one control request per appointment; put replaces it.
  virtual std::optional<control_request> read_control(std::string_view appointment_id) = 0;
  virtual void put_control(const control_request& request) = 0;
  virtual bool clear_control(std::string_view appointment_id) = 0;
  virtual std::vector<control_request> due_controls(time_point now) = 0;  // deadline <= now

  // At most one offer per appointment; put replaces it.
  virtual std::optional<lock_offer> read_offer(std::string_view appointment_id) = 0;
  virtual void put_offer(const lock_offer& offer) = 0;
  virtual bool clear_offer(std::string_view appointment_id) = 0;
  virtual std::vector<lock_offer> due_offers(time_point now) = 0;  // deadline <= now

  // Returns the id of the new row.
  virtual std::int64_t append_audit(const audit_entry& entry) = 0;

  // Sends `payload` on `channel` when (and only if) this transaction
  // commits, in commit order: PostgreSQL's NOTIFY, which the event bus of a
  // scale-out deployment rides on. A store without such a channel (SQLite)
  // does nothing; its bus publishes after the commit instead.
  virtual void notify(std::string_view channel, std::string_view payload) {
    (void)channel;
    (void)payload;
  }

  // Runs `f` once this transaction has committed, never if it does not. Where the store
  // writes one transaction at a time (SQLite), these run before the next write starts, so
  // they run in commit order; with group commit (store::run_batch), after the batch commits.
  void after_commit(std::function<void()> f) { committed_.push_back(std::move(f)); }
  // For the store: what to run after the commit.
  std::vector<std::function<void()>> take_after_commit() { return std::move(committed_); }

 private:
  std::vector<std::function<void()>> committed_;
};

class store {
 public:
  virtual ~store() = default;

  // Users. create_user returns false when the e-mail is taken.
  virtual bool create_user(const user& u) = 0;
  virtual bool save_user(const user& u) = 0;  // by id; false when unknown
  virtual std::optional<user> find_user(std::string_view id) = 0;
  virtual std::optional<user> find_user_by_email(std::string_view email) = 0;  // case-insensitive
  virtual std::vector<user> list_users() = 0;
  virtual std::int64_t count_users() = 0;

  // Sign-in sessions.
  virtual void create_auth_session(const auth_session& s) = 0;
  // The user of an unexpired session and its end; disabled users included (the caller decides).
  virtual std::optional<session_user> find_session_user(std::string_view token_hash, time_point now) = 0;
  virtual void delete_auth_session(std::string_view token_hash) = 0;
  virtual void delete_auth_sessions_of(std::string_view user_id) = 0;

  // WebSocket tickets: single use, short-lived; only the hash is kept. A
  // ticket belongs to the sign-in session that asked for it and goes with it.
  virtual void create_ws_ticket(std::string_view ticket_hash, std::string_view user_id, std::string_view auth_session,
                                time_point expires_at) = 0;
  // Deletes the ticket; its owner when it existed, had not expired at `now`
  // and its sign-in session is still open at `now`.
  virtual std::optional<ticket_owner> redeem_ws_ticket(std::string_view ticket_hash, time_point now) = 0;

  // Appointments. A new one comes with its free lock slot and its first history entry.
  void create_appointment(const appointment& a) {
    transact([&](store_tx& tx) {
      tx.insert_appointment(a);
      tx.append_history({a.id, a.version, a.updated_at, a.updated_by, changes_between(nullptr, a.fields)});
      return true;
    });
  }
  virtual std::optional<appointment> find_appointment(std::string_view id) = 0;  // tombstones included
  virtual std::vector<appointment> list_appointments(const appointment_query& q) = 0;
  virtual std::vector<appointment> find_conflicts(const conflict_query& q) = 0;  // by start time
  virtual std::int64_t count_appointments() = 0;                                 // tombstones included
  // Every saved version, newest first.
  virtual std::vector<history_entry> history(std::string_view appointment_id) = 0;

  // Lock reads outside a transaction.
  virtual std::optional<lock_slot> read_lock(std::string_view appointment_id) = 0;
  virtual std::vector<lock_record> held_locks() = 0;  // as stored: may be past expires_at
  // The earliest time something is due: a lock's expiry, a control deadline or an offer's.
  virtual std::optional<time_point> next_expiry() = 0;
  virtual std::vector<queue_entry> queue(std::string_view appointment_id) = 0;
  virtual std::vector<lock_offer> open_offers() = 0;  // as stored: may be past their deadline
  virtual std::optional<lock_offer> offer(std::string_view appointment_id) = 0;
  // The appointments whose line holds the tab, or whose lock is offered to it.
  virtual std::vector<std::string> lines_of(std::string_view user_id, std::string_view session_id) = 0;

  // Audit trail, newest first.
  virtual std::vector<audit_entry> list_audit(const audit_filter& filter) = 0;

  // Readiness: one bounded round trip that proves the store takes writes now (SQLite: the
  // file's write lock; PostgreSQL: a pooled connection answering). Throws store_error when not.
  virtual void ping() = 0;

  // Runs `work` in one transaction: committed when it returns true, rolled
  // back when it returns false or throws.
  virtual void transact(const std::function<bool(store_tx&)>& work) = 0;

  // Group commit: runs each job on the calling thread, and every write they make (transact
  // and the single writes above) in one transaction, each in a savepoint of its own (a job
  // whose transaction rolls back or throws leaves the others' writes alone); commits once,
  // then runs their after_commit work. Jobs catch their own exceptions. Throws store_error
  // when the commit fails: then none of the jobs' writes happened. A store that cannot batch
  // runs the jobs one after another, each write committing on its own.
  virtual void run_batch(const std::vector<std::function<void()>>& jobs) {
    for (const auto& job : jobs) job();
  }
};

}  // namespace slotlock
