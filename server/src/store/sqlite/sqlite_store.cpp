#include "store/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "store/sqlite/migrations.hpp"

namespace slotlock {

namespace {

// ---- rows ------------------------------------------------------------------
// Each SELECT below lists its columns in the order its reader expects.

const std::string user_columns =
    "SELECT u.id, u.email, u.name, u.role, u.disabled, u.password_hash, u.created_at FROM users u";

user user_from(const sqlite_statement& row) {
  user u;
  u.id = row.text(0);
  u.email = row.text(1);
  u.name = row.text(2);
  const auto r = parse_role(row.text(3));
  if (!r) throw store_error("sqlite: user " + u.id + " has an unknown role '" + row.text(3) + "'");
  u.role = *r;
  u.disabled = row.int64(4) != 0;
  u.password_hash = row.text(5);
  u.created_at = row.time(6);
  return u;
}

const std::string appointment_columns =
    "SELECT a.id, a.title, a.client_name, a.client_email, a.starts_at, a.ends_at, a.location, a.notes,"
    " a.status, a.version, a.updated_at, a.updated_by, u.name, u.email, a.deleted_at"
    " FROM appointments a LEFT JOIN users u ON u.id = a.updated_by";

appointment appointment_from(const sqlite_statement& row) {
  appointment a;
  a.id = row.text(0);
  a.fields.title = row.text(1);
  a.fields.client_name = row.text(2);
  a.fields.client_email = row.text(3);
  a.fields.starts_at = row.time(4);
  a.fields.ends_at = row.time(5);
  a.fields.location = row.text(6);
  a.fields.notes = row.text(7);
  const auto status = parse_appointment_status(row.text(8));
  if (!status) throw store_error("sqlite: appointment " + a.id + " has an unknown status '" + row.text(8) + "'");
  a.fields.status = *status;
  a.version = row.int64(9);
  a.updated_at = row.time(10);
  a.updated_by = user_ref{row.text(11), row.text(12), row.text(13)};
  a.deleted_at = row.optional_time(14);
  return a;
}

const std::string offer_columns =
    "SELECT o.appointment_id, o.user_id, u.name, u.email, o.role, o.session_id, o.offered_at, o.deadline"
    " FROM lock_offers o JOIN users u ON u.id = o.user_id";

lock_offer offer_from(const sqlite_statement& row) {
  lock_offer o;
  o.appointment_id = row.text(0);
  o.who = user_ref{row.text(1), row.text(2), row.text(3)};
  o.role = parse_role(row.text(4)).value_or(role::user);
  o.session_id = row.text(5);
  o.offered_at = row.time(6);
  o.deadline = row.time(7);
  return o;
}

// The lock columns, for SELECT and for RETURNING. RETURNING may name only the
// updated table, hence the holder's name and e-mail as subqueries there.
const std::string lock_columns =
    "SELECT l.appointment_id, l.revision, l.fencing_token, l.user_id, u.name, u.email, l.session_id,"
    " l.acquired_at, l.last_activity_at, l.expires_at, u.role"
    " FROM locks l LEFT JOIN users u ON u.id = l.user_id";
const std::string lock_returning =
    " RETURNING appointment_id, revision, fencing_token, user_id,"
    " (SELECT name FROM users WHERE users.id = locks.user_id),"
    " (SELECT email FROM users WHERE users.id = locks.user_id),"
    " session_id, acquired_at, last_activity_at, expires_at,"
    " (SELECT role FROM users WHERE users.id = locks.user_id)";

const std::string control_columns =
    "SELECT c.appointment_id, c.admin_id, u.name, u.email, c.admin_session_id, c.requested_at, c.deadline,"
    " c.holder_token, u.disabled = 0 AND u.role = 'admin'"
    " FROM control_requests c JOIN users u ON u.id = c.admin_id";

control_request control_from(const sqlite_statement& row) {
  control_request r;
  r.appointment_id = row.text(0);
  r.admin = user_ref{row.text(1), row.text(2), row.text(3)};
  r.admin_session_id = row.text(4);
  r.requested_at = row.time(5);
  r.deadline = row.time(6);
  r.holder_token = row.int64(7);
  r.admin_may_take = row.int64(8) != 0;
  return r;
}

lock_slot slot_from(const sqlite_statement& row) {
  lock_slot slot;
  slot.appointment_id = row.text(0);
  slot.revision = row.int64(1);
  slot.fencing_token = row.int64(2);
  if (!row.is_null(3)) {
    lock_record lock;
    lock.appointment_id = slot.appointment_id;
    lock.holder = user_ref{row.text(3), row.text(4), row.text(5)};
    lock.session_id = row.text(6);
    lock.acquired_at = row.time(7);
    lock.last_activity_at = row.time(8);
    lock.expires_at = row.time(9);
    lock.fencing_token = slot.fencing_token;
    lock.holder_role = parse_role(row.text(10)).value_or(role::user);
    slot.lock = std::move(lock);
  }
  return slot;
}

// The holder's name and e-mail come from users as they are now; the role is
// the one the waiter had when joining the line.
const std::string queue_columns =
    "SELECT q.appointment_id, q.user_id, u.name, u.email, q.role, q.session_id, q.enqueued_at"
    " FROM lock_queue q JOIN users u ON u.id = q.user_id";

queue_entry queue_entry_from(const sqlite_statement& row) {
  queue_entry e;
  e.appointment_id = row.text(0);
  e.who = user_ref{row.text(1), row.text(2), row.text(3)};
  const auto r = parse_role(row.text(4));
  if (!r) throw store_error("sqlite: queue entry of " + e.who.id + " has an unknown role '" + row.text(4) + "'");
  e.role = *r;
  e.session_id = row.text(5);
  e.enqueued_at = row.time(6);
  return e;
}

const std::string audit_columns =
    "SELECT id, at, appointment_id, action, actor_id, actor_name, actor_email,"
    " previous_id, previous_name, previous_email, reason FROM audit";

std::optional<user_ref> optional_ref(const sqlite_statement& row, int first) {
  if (row.is_null(first)) return std::nullopt;
  return user_ref{row.text(first), row.text(first + 1), row.text(first + 2)};
}

audit_entry audit_from(const sqlite_statement& row) {
  audit_entry e;
  e.id = row.int64(0);
  e.at = row.time(1);
  e.appointment_id = row.text(2);
  const auto action = parse_audit_action(row.text(3));
  if (!action)
    throw store_error("sqlite: audit row " + std::to_string(e.id) + " has an unknown action '" + row.text(3) + "'");
  e.action = *action;
  e.actor = optional_ref(row, 4);
  e.previous_holder = optional_ref(row, 7);
  e.reason = row.text(10);
  return e;
}

// An empty id means "nobody": stored as NULL so the foreign key holds.
std::optional<std::string_view> id_or_null(const std::string& id) {
  if (id.empty()) return std::nullopt;
  return id;
}

// ---- queries shared by the store and its transactions ----------------------

std::optional<appointment> select_appointment(sqlite_connection& db, std::string_view id) {
  static const std::string sql = appointment_columns + " WHERE a.id = ?";
  auto st = db.prepare(sql, "find_appointment");
  st.bind(id);
  if (!st.step()) return std::nullopt;
  return appointment_from(st);
}

std::optional<lock_slot> select_lock(sqlite_connection& db, std::string_view appointment_id) {
  static const std::string sql = lock_columns + " WHERE l.appointment_id = ?";
  auto st = db.prepare(sql, "read_lock");
  st.bind(appointment_id);
  if (!st.step()) return std::nullopt;
  return slot_from(st);
}

std::vector<queue_entry> select_queue(sqlite_connection& db, std::string_view appointment_id) {
  static const std::string sql = queue_columns +
                                 " WHERE q.appointment_id = ? AND u.disabled = 0"
                                 " ORDER BY CASE q.role WHEN 'admin' THEN 0 ELSE 1 END, q.seq";
  auto st = db.prepare(sql, "queue");
  st.bind(appointment_id);
  std::vector<queue_entry> line;
  while (st.step()) line.push_back(queue_entry_from(st));
  return line;
}

// ---- transaction -----------------------------------------------------------

class sqlite_tx final : public store_tx {
 public:
  explicit sqlite_tx(sqlite_connection& db) : db_(db) {}

  std::optional<appointment> find_appointment(std::string_view id) override { return select_appointment(db_, id); }

  void insert_appointment(const appointment& a) override {
    const auto& f = a.fields;
    db_.prepare(
           "INSERT INTO appointments (id, title, client_name, client_email, starts_at, ends_at, location,"
           " notes, status, version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
           "insert_appointment")
        .bind(a.id, f.title, f.client_name, f.client_email, f.starts_at, f.ends_at, f.location, f.notes,
              to_string(f.status), a.version, a.updated_at, id_or_null(a.updated_by.id))
        .run();
    db_.prepare("INSERT INTO locks (appointment_id) VALUES (?)", "insert_appointment: lock slot").bind(a.id).run();
  }

  bool delete_appointment(std::string_view id, time_point at, const user_ref& by) override {
    auto st = db_.prepare("UPDATE appointments SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL",
                          "delete_appointment");
    st.bind(at, id_or_null(by.id), id);
    st.run();
    if (db_.changes() != 1) return false;
    for (const char* table : {"lock_offers", "control_requests", "lock_queue", "locks"})
      db_.prepare(std::string("DELETE FROM ") + table + " WHERE appointment_id = ?", "delete_appointment: lock state")
          .bind(id)
          .run();
    return true;
  }

  void append_history(const history_entry& h) override {
    db_.prepare(
           "INSERT INTO appointment_versions (appointment_id, version, at, user_id, user_name, user_email)"
           " VALUES (?, ?, ?, ?, ?, ?)",
           "append_history")
        .bind(h.appointment_id, h.version, h.at, id_or_null(h.by.id), h.by.name, h.by.email)
        .run();
    int position = 0;
    for (const auto& c : h.changes)
      db_.prepare(
             "INSERT INTO appointment_changes (appointment_id, version, position, field, from_value, to_value)"
             " VALUES (?, ?, ?, ?, ?, ?)",
             "append_history: change")
          .bind(h.appointment_id, h.version, ++position, c.field, c.from, c.to)
          .run();
  }

  bool update_appointment(const appointment& next, std::int64_t expected_version) override {
    auto st = db_.prepare(
        "UPDATE appointments SET title = ?, client_name = ?, client_email = ?, starts_at = ?,"
        " ends_at = ?, location = ?, notes = ?, status = ?, version = ?, updated_at = ?, updated_by = ?"
        " WHERE id = ? AND version = ? AND deleted_at IS NULL",
        "update_appointment");
    const auto& f = next.fields;
    st.bind(f.title, f.client_name, f.client_email, f.starts_at, f.ends_at, f.location, f.notes, to_string(f.status),
            next.version, next.updated_at, id_or_null(next.updated_by.id), next.id, expected_version);
    st.run();
    return db_.changes() == 1;
  }

  std::optional<lock_slot> read_lock(std::string_view appointment_id) override {
    return select_lock(db_, appointment_id);
  }

  std::optional<lock_record> grant_lock(std::string_view appointment_id, std::int64_t expected_revision,
                                        const user_ref& holder, std::string_view session_id, time_point now,
                                        time_point expires_at) override {
    static const std::string sql =
        "UPDATE locks SET user_id = ?, session_id = ?, acquired_at = ?, last_activity_at = ?,"
        " expires_at = ?, fencing_token = fencing_token + 1, revision = revision + 1"
        " WHERE appointment_id = ? AND revision = ?" +
        lock_returning;
    auto st = db_.prepare(sql, "grant_lock");
    st.bind(holder.id, session_id, now, now, expires_at, appointment_id, expected_revision);
    return changed_lock(st);
  }

  std::optional<lock_record> touch_lock(std::string_view appointment_id, std::int64_t fencing_token, time_point now,
                                        time_point expires_at) override {
    static const std::string sql =
        "UPDATE locks SET last_activity_at = ?, expires_at = ?"
        " WHERE appointment_id = ? AND fencing_token = ? AND user_id IS NOT NULL AND expires_at > ?" +
        lock_returning;
    auto st = db_.prepare(sql, "touch_lock");
    st.bind(now, expires_at, appointment_id, fencing_token, now);
    return changed_lock(st);
  }

  bool clear_lock(std::string_view appointment_id, std::int64_t expected_revision) override {
    // fencing_token stays: the next grant must still go above every token
    // handed out before.
    auto st = db_.prepare(
        "UPDATE locks SET user_id = NULL, session_id = NULL, acquired_at = NULL,"
        " last_activity_at = NULL, expires_at = NULL, revision = revision + 1"
        " WHERE appointment_id = ? AND revision = ?",
        "clear_lock");
    st.bind(appointment_id, expected_revision);
    st.run();
    return db_.changes() == 1;
  }

  std::vector<lock_slot> due_locks(time_point now) override {
    static const std::string sql =
        lock_columns + " WHERE l.user_id IS NOT NULL AND l.expires_at <= ? ORDER BY l.expires_at, l.appointment_id";
    auto st = db_.prepare(sql, "due_locks");
    st.bind(now);
    std::vector<lock_slot> due;
    while (st.step()) due.push_back(slot_from(st));
    return due;
  }

  std::optional<control_request> read_control(std::string_view appointment_id) override {
    static const std::string sql = control_columns + " WHERE c.appointment_id = ?";
    auto st = db_.prepare(sql, "read_control");
    st.bind(appointment_id);
    if (!st.step()) return std::nullopt;
    return control_from(st);
  }

  void put_control(const control_request& r) override {
    db_.prepare(
           "INSERT INTO control_requests (appointment_id, admin_id, admin_session_id, requested_at, deadline,"
           " holder_token) VALUES (?, ?, ?, ?, ?, ?)"
           " ON CONFLICT (appointment_id) DO UPDATE SET admin_id = excluded.admin_id,"
           " admin_session_id = excluded.admin_session_id, requested_at = excluded.requested_at,"
           " deadline = excluded.deadline, holder_token = excluded.holder_token",
           "put_control")
        .bind(r.appointment_id, r.admin.id, r.admin_session_id, r.requested_at, r.deadline, r.holder_token)
        .run();
  }

  bool clear_control(std::string_view appointment_id) override {
    auto st =
        db_.prepare("DELETE FROM control_requests WHERE appointment_id = ? RETURNING appointment_id", "clear_control");
    st.bind(appointment_id);
    return st.step();
  }

  std::vector<control_request> due_controls(time_point now) override {
    static const std::string sql = control_columns + " WHERE c.deadline <= ? ORDER BY c.deadline";
    auto st = db_.prepare(sql, "due_controls");
    st.bind(now);
    std::vector<control_request> due;
    while (st.step()) due.push_back(control_from(st));
    return due;
  }

  std::optional<lock_offer> read_offer(std::string_view appointment_id) override {
    static const std::string sql = offer_columns + " WHERE o.appointment_id = ?";
    auto st = db_.prepare(sql, "read_offer");
    st.bind(appointment_id);
    if (!st.step()) return std::nullopt;
    return offer_from(st);
  }

  void put_offer(const lock_offer& o) override {
    db_.prepare(
           "INSERT INTO lock_offers (appointment_id, user_id, session_id, role, offered_at, deadline)"
           " VALUES (?, ?, ?, ?, ?, ?)"
           " ON CONFLICT (appointment_id) DO UPDATE SET user_id = excluded.user_id, session_id = excluded.session_id,"
           " role = excluded.role, offered_at = excluded.offered_at, deadline = excluded.deadline",
           "put_offer")
        .bind(o.appointment_id, o.who.id, o.session_id, to_string(o.role), o.offered_at, o.deadline)
        .run();
  }

  bool clear_offer(std::string_view appointment_id) override {
    auto st = db_.prepare("DELETE FROM lock_offers WHERE appointment_id = ? RETURNING appointment_id", "clear_offer");
    st.bind(appointment_id);
    return st.step();
  }

  std::vector<lock_offer> due_offers(time_point now) override {
    static const std::string sql = offer_columns + " WHERE o.deadline <= ? ORDER BY o.deadline";
    auto st = db_.prepare(sql, "due_offers");
    st.bind(now);
    std::vector<lock_offer> due;
    while (st.step()) due.push_back(offer_from(st));
    return due;
  }

  void enqueue(const queue_entry& entry) override {
    // DO NOTHING on a repeat keeps the original seq, hence the place in line.
    auto st = db_.prepare(
        "INSERT INTO lock_queue (appointment_id, user_id, session_id, role, enqueued_at)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (appointment_id, user_id, session_id) DO NOTHING",
        "enqueue");
    st.bind(entry.appointment_id, entry.who.id, entry.session_id, to_string(entry.role), entry.enqueued_at);
    st.run();
  }

  bool dequeue(std::string_view appointment_id, std::string_view user_id, std::string_view session_id) override {
    auto st =
        db_.prepare("DELETE FROM lock_queue WHERE appointment_id = ? AND user_id = ? AND session_id = ?", "dequeue");
    st.bind(appointment_id, user_id, session_id);
    st.run();
    return db_.changes() > 0;
  }

  std::vector<queue_entry> queue(std::string_view appointment_id) override { return select_queue(db_, appointment_id); }

  std::int64_t append_audit(const audit_entry& entry) override {
    auto st = db_.prepare(
        "INSERT INTO audit (at, appointment_id, action, actor_id, actor_name, actor_email,"
        " previous_id, previous_name, previous_email, reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        "append_audit");
    const auto field = [](const std::optional<user_ref>& ref, std::string user_ref::*member) {
      return ref ? std::optional<std::string_view>((*ref).*member) : std::nullopt;
    };
    st.bind(entry.at, entry.appointment_id, to_string(entry.action), field(entry.actor, &user_ref::id),
            field(entry.actor, &user_ref::name), field(entry.actor, &user_ref::email),
            field(entry.previous_holder, &user_ref::id), field(entry.previous_holder, &user_ref::name),
            field(entry.previous_holder, &user_ref::email), entry.reason);
    if (!st.step()) throw store_error("sqlite: append_audit: no id returned");
    const std::int64_t id = st.int64(0);
    st.run();
    return id;
  }

 private:
  // Reads the RETURNING row of a conditional lock update: none means the
  // condition did not hold.
  static std::optional<lock_record> changed_lock(sqlite_statement& st) {
    if (!st.step()) return std::nullopt;
    auto slot = slot_from(st);
    st.run();
    return std::move(slot.lock);
  }

  sqlite_connection& db_;
};

}  // namespace

// ---- store -----------------------------------------------------------------

sqlite_store::sqlite_store(const std::string& path, std::size_t max_connections, bool sole_use)
    : path_(path), pool_(path, max_connections, sqlite_busy_timeout) {
  if (sole_use) claim_sole_use();  // before anything is written
  auto db = pool_.borrow();
  apply_sqlite_migrations(*db, system_clock{}.now());
}

sqlite_store::~sqlite_store() {
  if (owner_fd_ >= 0) ::close(owner_fd_);  // releases the flock
}

void sqlite_store::claim_sole_use() {
  const auto lock_path = path_ + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw store_error("sqlite: cannot open " + lock_path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char pid[32] = {};
    const auto n = ::pread(fd, pid, sizeof pid - 1, 0);
    ::close(fd);
    if (err != EWOULDBLOCK) throw store_error("sqlite: cannot lock " + lock_path + ": " + std::strerror(err));
    std::string holder(pid, n > 0 ? static_cast<std::size_t>(n) : 0);
    if (holder.find_first_not_of("0123456789") != std::string::npos) holder.clear();
    throw store_error("the SQLite database " + path_ + " is in use by another slotlock process" +
                      (holder.empty() ? "" : " (pid " + holder + ")") +
                      ". One process serves a SQLite file; to run several, share a PostgreSQL database "
                      "(--db postgresql://...).");
  }
  // The holder's pid, for the message above; the lock, not the text, is what counts.
  const auto pid = std::to_string(::getpid());
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // Only the message suffers.
  }
  owner_fd_ = fd;
}

struct sqlite_store::batch {
  const sqlite_store* owner;
  sqlite_connection& db;
  std::vector<std::function<void()>> committed;
};

namespace {
thread_local void* thread_batch = nullptr;  // sqlite_store::batch*
}  // namespace

sqlite_store::batch* sqlite_store::open_batch() {
  auto* b = static_cast<batch*>(thread_batch);
  return b != nullptr && b->owner == this ? b : nullptr;
}

template <class Work>
auto sqlite_store::read(Work&& work) {
  if (auto* b = open_batch()) return work(b->db);
  auto db = pool_.borrow();
  return work(*db);
}

// This process's one write at a time; see writer_mutex_.
class sqlite_store::writer_turn {
 public:
  writer_turn(sqlite_store& s, std::string_view what) : store_(s) {
    std::unique_lock lock(store_.writer_mutex_);
    if (!store_.writer_done_.wait_for(lock, sqlite_busy_timeout, [&] { return !store_.writing_; }))
      throw store_error("sqlite: " + std::string(what) + ": the database stayed busy with another write for " +
                        std::to_string(sqlite_busy_timeout.count()) + " ms");
    store_.writing_ = true;
  }
  ~writer_turn() {
    {
      std::lock_guard lock(store_.writer_mutex_);
      store_.writing_ = false;
    }
    store_.writer_done_.notify_one();
  }
  writer_turn(const writer_turn&) = delete;
  writer_turn& operator=(const writer_turn&) = delete;

 private:
  sqlite_store& store_;
};

template <class Work>
void sqlite_store::write(std::string_view what, Work&& work, std::vector<std::function<void()>>* committed) {
  if (auto* b = open_batch()) {
    // An error such as a full disk rolls the whole transaction back: what follows must not
    // start a transaction of its own (a savepoint outside one would).
    if (!b->db.in_transaction())
      throw store_error("sqlite: " + std::string(what) + ": the batch's transaction was rolled back by an error");
    b->db.exec("SAVEPOINT write", what);
    try {
      if (work(b->db)) {
        b->db.exec("RELEASE write", what);
        if (committed)
          for (auto& f : *committed) b->committed.push_back(std::move(f));
      } else {
        b->db.exec("ROLLBACK TO write; RELEASE write", what);
      }
    } catch (...) {
      if (b->db.in_transaction()) {
        try {
          b->db.exec("ROLLBACK TO write; RELEASE write", what);
        } catch (const store_error&) {  // the connection is broken: the batch's commit says so
        }
      }
      throw;
    }
    return;
  }
  // The turn comes before the connection: a writer waiting its turn must not
  // sit on a connection that readers, or the current writer's own reads
  // through the store, might need.
  const writer_turn turn(*this, what);
  auto db = pool_.borrow();
  // IMMEDIATE takes the write lock now, so a transaction that read a row
  // cannot fail later because another process wrote in between.
  db->exec("BEGIN IMMEDIATE", what);
  bool commit = false;
  try {
    commit = work(*db);
    db->exec(commit ? "COMMIT" : "ROLLBACK", what);
  } catch (...) {
    db->rollback_quietly();
    throw;
  }
  if (commit && committed)
    for (const auto& f : *committed) f();
}

void sqlite_store::run_batch(const std::vector<std::function<void()>>& jobs) {
  if (open_batch()) {  // already inside one: its commit covers these too
    for (const auto& job : jobs) job();
    return;
  }
  const writer_turn turn(*this, "batch");
  auto db = pool_.borrow();
  db->exec("BEGIN IMMEDIATE", "batch");
  batch b{this, *db, {}};
  try {
    thread_batch = &b;
    for (const auto& job : jobs) job();
    thread_batch = nullptr;
    if (!db->in_transaction())
      throw store_error("sqlite: batch: the transaction was rolled back by an error; nothing in it was written");
    db->exec("COMMIT", "batch");
  } catch (...) {
    thread_batch = nullptr;
    db->rollback_quietly();
    throw;
  }
  for (const auto& f : b.committed) f();
}

bool sqlite_store::create_user(const user& u) {
  bool created = false;
  write("create_user", [&](sqlite_connection& db) {
    // Only a taken e-mail is an expected outcome; a taken id is a bug and throws.
    auto st = db.prepare(
        "INSERT INTO users (id, email, name, role, disabled, password_hash, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING",
        "create_user");
    st.bind(u.id, u.email, u.name, to_string(u.role), u.disabled, u.password_hash, u.created_at);
    st.run();
    created = db.changes() == 1;
    return created;
  });
  return created;
}

bool sqlite_store::save_user(const user& u) {
  bool saved = false;
  write("save_user", [&](sqlite_connection& db) {
    auto st = db.prepare("UPDATE users SET email = ?, name = ?, role = ?, disabled = ?, password_hash = ? WHERE id = ?",
                         "save_user");
    st.bind(u.email, u.name, to_string(u.role), u.disabled, u.password_hash, u.id);
    st.run();
    saved = db.changes() == 1;
    return saved;
  });
  return saved;
}

std::optional<user> sqlite_store::find_user(std::string_view id) {
  return read([&](sqlite_connection& db) -> std::optional<user> {
    static const std::string sql = user_columns + " WHERE u.id = ?";
    auto st = db.prepare(sql, "find_user");
    st.bind(id);
    if (!st.step()) return std::nullopt;
    return user_from(st);
  });
}

std::optional<user> sqlite_store::find_user_by_email(std::string_view email) {
  return read([&](sqlite_connection& db) -> std::optional<user> {
    // The column's NOCASE collation makes this case-insensitive (ASCII).
    static const std::string sql = user_columns + " WHERE u.email = ?";
    auto st = db.prepare(sql, "find_user_by_email");
    st.bind(email);
    if (!st.step()) return std::nullopt;
    return user_from(st);
  });
}

std::vector<user> sqlite_store::list_users() {
  return read([&](sqlite_connection& db) {
    static const std::string sql = user_columns + " ORDER BY u.email, u.id";
    auto st = db.prepare(sql, "list_users");
    std::vector<user> users;
    while (st.step()) users.push_back(user_from(st));
    return users;
  });
}

std::int64_t sqlite_store::count_users() {
  return read([&](sqlite_connection& db) {
    auto st = db.prepare("SELECT COUNT(*) FROM users", "count_users");
    st.step();
    return st.int64(0);
  });
}

void sqlite_store::create_auth_session(const auth_session& s) {
  write("create_auth_session", [&](sqlite_connection& db) {
    // Signing in is when sessions are added, so it is also when expired ones
    // go: the table stays the size of the sessions in use.
    db.prepare("DELETE FROM auth_sessions WHERE expires_at <= ?", "create_auth_session: prune")
        .bind(s.created_at)
        .run();
    db.prepare("INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
               "create_auth_session")
        .bind(s.token_hash, s.user_id, s.created_at, s.expires_at)
        .run();
    return true;
  });
}

std::optional<session_user> sqlite_store::find_session_user(std::string_view token_hash, time_point now) {
  return read([&](sqlite_connection& db) -> std::optional<session_user> {
    // The user's columns first (user_from reads them by position), the session's end last.
    static const std::string sql = user_columns.substr(0, user_columns.find(" FROM ")) +
                                   ", s.expires_at FROM users u JOIN auth_sessions s ON s.user_id = u.id"
                                   " WHERE s.token_hash = ? AND s.expires_at > ?";
    auto st = db.prepare(sql, "find_session_user");
    st.bind(token_hash, now);
    if (!st.step()) return std::nullopt;
    return session_user{user_from(st), st.time(7)};
  });
}

void sqlite_store::delete_auth_session(std::string_view token_hash) {
  write("delete_auth_session", [&](sqlite_connection& db) {
    db.prepare("DELETE FROM auth_sessions WHERE token_hash = ?", "delete_auth_session").bind(token_hash).run();
    return true;
  });
}

void sqlite_store::delete_auth_sessions_of(std::string_view user_id) {
  write("delete_auth_sessions_of", [&](sqlite_connection& db) {
    db.prepare("DELETE FROM auth_sessions WHERE user_id = ?", "delete_auth_sessions_of").bind(user_id).run();
    return true;
  });
}

void sqlite_store::create_ws_ticket(std::string_view ticket_hash, std::string_view user_id,
                                    std::string_view auth_session, time_point expires_at) {
  write("create_ws_ticket", [&](sqlite_connection& db) {
    db.prepare("INSERT INTO ws_tickets (ticket_hash, user_id, auth_session, expires_at) VALUES (?, ?, ?, ?)",
               "create_ws_ticket")
        .bind(ticket_hash, user_id, auth_session, expires_at)
        .run();
    return true;
  });
}

std::optional<ticket_owner> sqlite_store::redeem_ws_ticket(std::string_view ticket_hash, time_point now) {
  std::optional<std::pair<std::string, std::string>> owner;  // user id, sign-in session
  write("redeem_ws_ticket", [&](sqlite_connection& db) {
    owner.reset();
    // Unused tickets go when any is redeemed, so the table stays small.
    db.prepare("DELETE FROM ws_tickets WHERE expires_at <= ? AND ticket_hash <> ?", "redeem_ws_ticket: prune")
        .bind(now, ticket_hash)
        .run();
    // The ticket is used up whatever comes next; it opens a socket only while
    // the sign-in that asked for it is still open (logout deletes it, and
    // with it every unused ticket it had).
    auto st = db.prepare(
        "DELETE FROM ws_tickets WHERE ticket_hash = ? RETURNING user_id, expires_at, auth_session,"
        " EXISTS (SELECT 1 FROM auth_sessions s WHERE s.token_hash = ws_tickets.auth_session AND s.expires_at > ?)",
        "redeem_ws_ticket");
    st.bind(ticket_hash, now);
    if (st.step() && st.time(1) > now && st.int64(3) != 0) owner.emplace(st.text(0), st.text(2));
    return true;
  });
  if (!owner) return std::nullopt;
  auto u = find_user(owner->first);
  if (!u) return std::nullopt;
  return ticket_owner{std::move(*u), std::move(owner->second)};
}

std::optional<appointment> sqlite_store::find_appointment(std::string_view id) {
  return read([&](sqlite_connection& db) { return select_appointment(db, id); });
}

std::vector<appointment> sqlite_store::list_appointments(const appointment_query& q) {
  return read([&](sqlite_connection& db) {
    // Assembled from fixed fragments only (values are bound, numbered in order): each shape is
    // prepared once, and every one walks the (starts_at, id) index from `from` or the cursor.
    int n = 0;
    const auto param = [&n] { return "?" + std::to_string(++n); };
    std::string sql = appointment_columns + " WHERE a.deleted_at IS NULL AND a.starts_at >= " + param();
    if (q.to) sql += " AND a.starts_at < " + param();
    if (q.after) {
      const auto at = param();  // numbered in binding order: one statement each
      const auto id = param();
      sql += " AND (a.starts_at, a.id) > (" + at + ", " + id + ")";
    }
    if (!q.statuses.empty()) {
      sql += " AND a.status IN (";
      for (std::size_t i = 0; i < q.statuses.size(); ++i) {
        if (i) sql += ", ";
        sql += param();
      }
      sql += ")";
    }
    if (!q.text.empty()) {
      const auto needle = "lower(" + param() + ")";
      sql += " AND (instr(lower(a.title), " + needle + ") OR instr(lower(a.client_name), " + needle +
             ") OR instr(lower(a.client_email), " + needle + ") OR instr(lower(a.location), " + needle +
             ") OR instr(lower(a.notes), " + needle + "))";
    }
    sql += " ORDER BY a.starts_at, a.id LIMIT " + param();

    auto st = db.prepare(sql, "list_appointments");
    int index = 0;
    st.bind_at(++index, q.from);
    if (q.to) st.bind_at(++index, *q.to);
    if (q.after) {
      st.bind_at(++index, q.after->starts_at);
      st.bind_at(++index, q.after->id);
    }
    for (const auto status : q.statuses) st.bind_at(++index, to_string(status));
    if (!q.text.empty()) st.bind_at(++index, q.text);
    st.bind_at(++index, std::clamp(q.limit, 1, 501));
    std::vector<appointment> list;
    while (st.step()) list.push_back(appointment_from(st));
    return list;
  });
}

std::vector<appointment> sqlite_store::find_conflicts(const conflict_query& q) {
  return read([&](sqlite_connection& db) {
    // An appointment lasts at most a day, so only those starting within a day before can overlap:
    // the (place, starts_at) index bounds the walk.
    static const std::string sql = appointment_columns +
                                   " WHERE lower(trim(a.location)) = lower(trim(?)) AND a.starts_at > ?"
                                   " AND a.starts_at < ? AND a.ends_at > ? AND a.id <> ? AND a.deleted_at IS NULL"
                                   " AND a.status <> 'cancelled' ORDER BY a.starts_at, a.id LIMIT ?";
    auto st = db.prepare(sql, "find_conflicts");
    st.bind(q.location, q.starts_at - max_appointment_length, q.ends_at, q.starts_at, q.exclude_id,
            std::clamp(q.limit, 1, 100));
    std::vector<appointment> list;
    while (st.step()) list.push_back(appointment_from(st));
    return list;
  });
}

std::vector<history_entry> sqlite_store::history(std::string_view appointment_id) {
  return read([&](sqlite_connection& db) {
    auto st = db.prepare(
        "SELECT v.version, v.at, v.user_id, v.user_name, v.user_email, c.field, c.from_value, c.to_value"
        " FROM appointment_versions v LEFT JOIN appointment_changes c"
        " ON c.appointment_id = v.appointment_id AND c.version = v.version"
        " WHERE v.appointment_id = ? ORDER BY v.version DESC, c.position",
        "history");
    st.bind(appointment_id);
    std::vector<history_entry> out;
    while (st.step()) {
      if (out.empty() || out.back().version != st.int64(0))
        out.push_back(
            {std::string(appointment_id), st.int64(0), st.time(1), user_ref{st.text(2), st.text(3), st.text(4)}, {}});
      if (!st.is_null(5)) out.back().changes.push_back({st.text(5), st.optional_text(6), st.optional_text(7)});
    }
    return out;
  });
}

std::optional<lock_offer> sqlite_store::offer(std::string_view appointment_id) {
  return read([&](sqlite_connection& db) -> std::optional<lock_offer> {
    static const std::string sql = offer_columns + " WHERE o.appointment_id = ?";
    auto st = db.prepare(sql, "offer");
    st.bind(appointment_id);
    if (!st.step()) return std::nullopt;
    return offer_from(st);
  });
}

std::vector<std::string> sqlite_store::lines_of(std::string_view user_id, std::string_view session_id) {
  return read([&](sqlite_connection& db) {
    auto st = db.prepare(
        "SELECT appointment_id FROM lock_queue WHERE user_id = ?1 AND session_id = ?2"
        " UNION SELECT appointment_id FROM lock_offers WHERE user_id = ?1 AND session_id = ?2",
        "lines_of");
    st.bind(user_id, session_id);
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
  });
}

std::vector<lock_offer> sqlite_store::open_offers() {
  return read([&](sqlite_connection& db) {
    static const std::string sql = offer_columns + " ORDER BY o.appointment_id";
    auto st = db.prepare(sql, "open_offers");
    std::vector<lock_offer> out;
    while (st.step()) out.push_back(offer_from(st));
    return out;
  });
}

std::int64_t sqlite_store::count_appointments() {
  return read([&](sqlite_connection& db) {
    auto st = db.prepare("SELECT COUNT(*) FROM appointments", "count_appointments");
    st.step();
    return st.int64(0);
  });
}

std::optional<lock_slot> sqlite_store::read_lock(std::string_view appointment_id) {
  return read([&](sqlite_connection& db) { return select_lock(db, appointment_id); });
}

std::vector<lock_record> sqlite_store::held_locks() {
  return read([&](sqlite_connection& db) {
    static const std::string sql = lock_columns + " WHERE l.user_id IS NOT NULL ORDER BY l.appointment_id";
    auto st = db.prepare(sql, "held_locks");
    std::vector<lock_record> held;
    while (st.step()) held.push_back(*slot_from(st).lock);
    return held;
  });
}

std::optional<time_point> sqlite_store::next_expiry() {
  return read([&](sqlite_connection& db) {
    auto st = db.prepare(
        "SELECT MIN(t) FROM (SELECT MIN(expires_at) AS t FROM locks WHERE user_id IS NOT NULL"
        " UNION ALL SELECT MIN(deadline) FROM control_requests UNION ALL SELECT MIN(deadline) FROM lock_offers)",
        "next_expiry");
    st.step();
    return st.optional_time(0);
  });
}

std::vector<queue_entry> sqlite_store::queue(std::string_view appointment_id) {
  return read([&](sqlite_connection& db) { return select_queue(db, appointment_id); });
}

std::vector<audit_entry> sqlite_store::list_audit(const audit_filter& filter) {
  return read([&](sqlite_connection& db) {
    // The WHERE clause is assembled from fixed fragments only (values are
    // bound), so each of its few shapes is prepared once and can use the
    // index that fits it.
    std::string sql = audit_columns + " WHERE 1";
    if (filter.appointment_id) sql += " AND appointment_id = ?";
    if (filter.actor_id) sql += " AND actor_id = ?";
    if (filter.action) sql += " AND action = ?";
    if (filter.before_id) sql += " AND id < ?";
    sql += " ORDER BY id DESC LIMIT ?";

    auto st = db.prepare(sql, "list_audit");
    int index = 0;
    if (filter.appointment_id) st.bind_at(++index, *filter.appointment_id);
    if (filter.actor_id) st.bind_at(++index, *filter.actor_id);
    if (filter.action) st.bind_at(++index, to_string(*filter.action));
    if (filter.before_id) st.bind_at(++index, *filter.before_id);
    st.bind_at(++index, std::clamp(filter.limit, 1, 500));

    std::vector<audit_entry> entries;
    while (st.step()) entries.push_back(audit_from(st));
    return entries;
  });
}

void sqlite_store::ping() {
  // Takes the write lock (BEGIN IMMEDIATE, or the batch's) and gives it back: a file another
  // process holds fails here after the busy timeout, as every write would.
  write("ready", [](sqlite_connection&) { return false; });
}

void sqlite_store::transact(const std::function<bool(store_tx&)>& work) {
  std::vector<std::function<void()>> committed;
  write(
      "transact",
      [&](sqlite_connection& db) {
        sqlite_tx tx(db);
        const bool commit = work(tx);
        if (commit) committed = tx.take_after_commit();
        return commit;
      },
      &committed);
}

}  // namespace slotlock
