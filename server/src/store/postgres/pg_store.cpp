#include "store/postgres/pg_store.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "store/postgres/pg_migrations.hpp"

namespace slotlock {

namespace {

// Transactions that hit a deadlock or a serialisation failure run again
// (the work is written to be re-run: the domain retries lost races anyway).
constexpr int max_transient_attempts = 3;

// ---- rows ------------------------------------------------------------------
// Each SELECT below lists its columns in the order its reader expects.

const std::string user_columns =
    "SELECT u.id, u.email, u.name, u.role, u.disabled, u.password_hash, u.created_at FROM users u";

user user_from(const pg_rows& r, int i) {
  user u;
  u.id = r.text(i, 0);
  u.email = r.text(i, 1);
  u.name = r.text(i, 2);
  const auto role = parse_role(r.text(i, 3));
  if (!role) throw store_error("postgres: user " + u.id + " has an unknown role '" + r.text(i, 3) + "'");
  u.role = *role;
  u.disabled = r.boolean(i, 4);
  u.password_hash = r.text(i, 5);
  u.created_at = r.time(i, 6);
  return u;
}

const std::string appointment_columns =
    "SELECT a.id, a.title, a.client_name, a.client_email, a.starts_at, a.ends_at, a.location, a.notes,"
    " a.status, a.version, a.updated_at, a.updated_by, u.name, u.email, a.deleted_at"
    " FROM appointments a LEFT JOIN users u ON u.id = a.updated_by";

appointment appointment_from(const pg_rows& r, int i) {
  appointment a;
  a.id = r.text(i, 0);
  a.fields.title = r.text(i, 1);
  a.fields.client_name = r.text(i, 2);
  a.fields.client_email = r.text(i, 3);
  a.fields.starts_at = r.time(i, 4);
  a.fields.ends_at = r.time(i, 5);
  a.fields.location = r.text(i, 6);
  a.fields.notes = r.text(i, 7);
  const auto status = parse_appointment_status(r.text(i, 8));
  if (!status) throw store_error("postgres: appointment " + a.id + " has an unknown status '" + r.text(i, 8) + "'");
  a.fields.status = *status;
  a.version = r.int64(i, 9);
  a.updated_at = r.time(i, 10);
  a.updated_by = user_ref{r.text(i, 11), r.text(i, 12), r.text(i, 13)};
  a.deleted_at = r.optional_time(i, 14);
  return a;
}

const std::string offer_columns =
    "SELECT o.appointment_id, o.user_id, u.name, u.email, o.role, o.session_id, o.offered_at, o.deadline"
    " FROM lock_offers o JOIN users u ON u.id = o.user_id";

lock_offer offer_from(const pg_rows& r, int i) {
  lock_offer o;
  o.appointment_id = r.text(i, 0);
  o.who = user_ref{r.text(i, 1), r.text(i, 2), r.text(i, 3)};
  o.role = parse_role(r.text(i, 4)).value_or(role::user);
  o.session_id = r.text(i, 5);
  o.offered_at = r.time(i, 6);
  o.deadline = r.time(i, 7);
  return o;
}

// The lock columns over a row source `l` (the table, or the rows an UPDATE
// returned) joined with its holder.
const std::string lock_select =
    "SELECT l.appointment_id, l.revision, l.fencing_token, l.user_id, u.name, u.email, l.session_id,"
    " l.acquired_at, l.last_activity_at, l.expires_at, u.role";
const std::string lock_columns = lock_select + " FROM locks l LEFT JOIN users u ON u.id = l.user_id";
// A conditional UPDATE of one lock and its result, in one statement.
std::string changed_lock_sql(const std::string& update) {
  return "WITH l AS (" + update + " RETURNING *) " + lock_select + " FROM l LEFT JOIN users u ON u.id = l.user_id";
}

lock_slot slot_from(const pg_rows& r, int i) {
  lock_slot slot;
  slot.appointment_id = r.text(i, 0);
  slot.revision = r.int64(i, 1);
  slot.fencing_token = r.int64(i, 2);
  if (!r.is_null(i, 3)) {
    lock_record lock;
    lock.appointment_id = slot.appointment_id;
    lock.holder = user_ref{r.text(i, 3), r.text(i, 4), r.text(i, 5)};
    lock.session_id = r.text(i, 6);
    lock.acquired_at = r.time(i, 7);
    lock.last_activity_at = r.time(i, 8);
    lock.expires_at = r.time(i, 9);
    lock.fencing_token = slot.fencing_token;
    lock.holder_role = parse_role(r.text(i, 10)).value_or(role::user);
    slot.lock = std::move(lock);
  }
  return slot;
}

const std::string control_columns =
    "SELECT c.appointment_id, c.admin_id, u.name, u.email, c.admin_session_id, c.requested_at, c.deadline,"
    " c.holder_token, NOT u.disabled AND u.role = 'admin'"
    " FROM control_requests c JOIN users u ON u.id = c.admin_id";

control_request control_from(const pg_rows& r, int i) {
  control_request c;
  c.appointment_id = r.text(i, 0);
  c.admin = user_ref{r.text(i, 1), r.text(i, 2), r.text(i, 3)};
  c.admin_session_id = r.text(i, 4);
  c.requested_at = r.time(i, 5);
  c.deadline = r.time(i, 6);
  c.holder_token = r.int64(i, 7);
  c.admin_may_take = r.boolean(i, 8);
  return c;
}

// The waiter's name and e-mail as they are now; the role as it was on joining.
const std::string queue_columns =
    "SELECT q.appointment_id, q.user_id, u.name, u.email, q.role, q.session_id, q.enqueued_at"
    " FROM lock_queue q JOIN users u ON u.id = q.user_id";

queue_entry queue_entry_from(const pg_rows& r, int i) {
  queue_entry e;
  e.appointment_id = r.text(i, 0);
  e.who = user_ref{r.text(i, 1), r.text(i, 2), r.text(i, 3)};
  const auto role = parse_role(r.text(i, 4));
  if (!role) throw store_error("postgres: queue entry of " + e.who.id + " has an unknown role '" + r.text(i, 4) + "'");
  e.role = *role;
  e.session_id = r.text(i, 5);
  e.enqueued_at = r.time(i, 6);
  return e;
}

const std::string audit_columns =
    "SELECT id, at, appointment_id, action, actor_id, actor_name, actor_email,"
    " previous_id, previous_name, previous_email, reason FROM audit";

std::optional<user_ref> optional_ref(const pg_rows& r, int i, int first) {
  if (r.is_null(i, first)) return std::nullopt;
  return user_ref{r.text(i, first), r.text(i, first + 1), r.text(i, first + 2)};
}

audit_entry audit_from(const pg_rows& r, int i) {
  audit_entry e;
  e.id = r.int64(i, 0);
  e.at = r.time(i, 1);
  e.appointment_id = r.text(i, 2);
  const auto action = parse_audit_action(r.text(i, 3));
  if (!action)
    throw store_error("postgres: audit row " + std::to_string(e.id) + " has an unknown action '" + r.text(i, 3) + "'");
  e.action = *action;
  e.actor = optional_ref(r, i, 4);
  e.previous_holder = optional_ref(r, i, 7);
  e.reason = r.text(i, 10);
  return e;
}

template <class T, class From>
std::vector<T> all_rows(const pg_rows& r, From from) {
  std::vector<T> out;
  out.reserve(static_cast<std::size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) out.push_back(from(r, i));
  return out;
}

// An empty id means "nobody": stored as NULL so the foreign key holds.
std::optional<std::string_view> id_or_null(const std::string& id) {
  if (id.empty()) return std::nullopt;
  return id;
}

// ---- queries shared by the store and its transactions ----------------------

std::optional<appointment> select_appointment(pg_connection& db, std::string_view id) {
  static const std::string sql = appointment_columns + " WHERE a.id = $1";
  const auto r = db.query("find_appointment", sql, id);
  if (r.empty()) return std::nullopt;
  return appointment_from(r, 0);
}

std::optional<lock_slot> select_lock(pg_connection& db, std::string_view appointment_id) {
  static const std::string sql = lock_columns + " WHERE l.appointment_id = $1";
  const auto r = db.query("read_lock", sql, appointment_id);
  if (r.empty()) return std::nullopt;
  return slot_from(r, 0);
}

std::vector<queue_entry> select_queue(pg_connection& db, std::string_view appointment_id) {
  static const std::string sql = queue_columns +
                                 " WHERE q.appointment_id = $1 AND NOT u.disabled"
                                 " ORDER BY CASE q.role WHEN 'admin' THEN 0 ELSE 1 END, q.seq";
  return all_rows<queue_entry>(db.query("queue", sql, appointment_id), queue_entry_from);
}

// ---- transaction -----------------------------------------------------------

class pg_tx final : public store_tx {
 public:
  explicit pg_tx(pg_connection& db) : db_(db) {}

  std::optional<appointment> find_appointment(std::string_view id) override { return select_appointment(db_, id); }

  void insert_appointment(const appointment& a) override {
    const auto& f = a.fields;
    db_.query(
        "insert_appointment",
        "INSERT INTO appointments (id, title, client_name, client_email, starts_at, ends_at, location,"
        " notes, status, version, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        a.id, f.title, f.client_name, f.client_email, f.starts_at, f.ends_at, f.location, f.notes, to_string(f.status),
        a.version, a.updated_at, id_or_null(a.updated_by.id));
    db_.query("insert_appointment: lock slot", "INSERT INTO locks (appointment_id) VALUES ($1)", a.id);
  }

  bool delete_appointment(std::string_view id, time_point at, const user_ref& by) override {
    static const std::string sql =
        "UPDATE appointments SET deleted_at = $1, deleted_by = $2 WHERE id = $3 AND deleted_at IS NULL";
    if (db_.query("delete_appointment", sql, at, id_or_null(by.id), id).affected() != 1) return false;
    db_.query("delete_appointment: offer", "DELETE FROM lock_offers WHERE appointment_id = $1", id);
    db_.query("delete_appointment: control", "DELETE FROM control_requests WHERE appointment_id = $1", id);
    db_.query("delete_appointment: line", "DELETE FROM lock_queue WHERE appointment_id = $1", id);
    db_.query("delete_appointment: lock", "DELETE FROM locks WHERE appointment_id = $1", id);
    return true;
  }

  void append_history(const history_entry& h) override {
    db_.query("append_history",
              "INSERT INTO appointment_versions (appointment_id, version, at, user_id, user_name, user_email)"
              " VALUES ($1, $2, $3, $4, $5, $6)",
              h.appointment_id, h.version, h.at, id_or_null(h.by.id), h.by.name, h.by.email);
    int position = 0;
    for (const auto& c : h.changes)
      db_.query("append_history: change",
                "INSERT INTO appointment_changes (appointment_id, version, position, field, from_value, to_value)"
                " VALUES ($1, $2, $3, $4, $5, $6)",
                h.appointment_id, h.version, ++position, c.field, c.from, c.to);
  }

  std::optional<lock_offer> read_offer(std::string_view appointment_id) override {
    static const std::string sql = offer_columns + " WHERE o.appointment_id = $1";
    const auto r = db_.query("read_offer", sql, appointment_id);
    if (r.empty()) return std::nullopt;
    return offer_from(r, 0);
  }

  void put_offer(const lock_offer& o) override {
    static const std::string sql =
        "INSERT INTO lock_offers (appointment_id, user_id, session_id, role, offered_at, deadline)"
        " VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (appointment_id) DO UPDATE SET user_id = excluded.user_id, session_id = excluded.session_id,"
        " role = excluded.role, offered_at = excluded.offered_at, deadline = excluded.deadline";
    db_.query("put_offer", sql, o.appointment_id, o.who.id, o.session_id, to_string(o.role), o.offered_at, o.deadline);
  }

  bool clear_offer(std::string_view appointment_id) override {
    return db_.query("clear_offer", "DELETE FROM lock_offers WHERE appointment_id = $1", appointment_id).affected() > 0;
  }

  std::vector<lock_offer> due_offers(time_point now) override {
    static const std::string sql = offer_columns + " WHERE o.deadline <= $1 ORDER BY o.deadline";
    return all_rows<lock_offer>(db_.query("due_offers", sql, now), offer_from);
  }

  bool update_appointment(const appointment& next, std::int64_t expected_version) override {
    static const std::string sql =
        "UPDATE appointments SET title = $1, client_name = $2, client_email = $3, starts_at = $4,"
        " ends_at = $5, location = $6, notes = $7, status = $8, version = $9, updated_at = $10, updated_by = $11"
        " WHERE id = $12 AND version = $13 AND deleted_at IS NULL";
    const auto& f = next.fields;
    return db_.query("update_appointment", sql, f.title, f.client_name, f.client_email, f.starts_at, f.ends_at,
                     f.location, f.notes, to_string(f.status), next.version, next.updated_at,
                     id_or_null(next.updated_by.id), next.id, expected_version)
               .affected() == 1;
  }

  // Every write of the lock service begins here. The row lock makes the
  // writers of one appointment take turns across processes, as SQLite's single
  // writer does: what they read (the line, a control request) still holds when
  // they write.
  std::optional<lock_slot> read_lock(std::string_view appointment_id) override {
    // Locked in a CTE, then joined: a row that another writer changed while we waited is
    // returned as it is now, and so is its holder. (With FOR UPDATE OF l on the join, PostgreSQL
    // re-checks only the locked row and keeps the old join: the new holder came back without a
    // name or role, and a second admin could take over from the first.)
    static const std::string sql = "WITH l AS (SELECT * FROM locks WHERE appointment_id = $1 FOR UPDATE) " +
                                   lock_select + " FROM l LEFT JOIN users u ON u.id = l.user_id";
    const auto r = db_.query("read_lock_for_update", sql, appointment_id);
    if (r.empty()) return std::nullopt;
    return slot_from(r, 0);
  }

  std::optional<lock_record> grant_lock(std::string_view appointment_id, std::int64_t expected_revision,
                                        const user_ref& holder, std::string_view session_id, time_point now,
                                        time_point expires_at) override {
    // Under READ COMMITTED a concurrent writer of the same row makes this
    // statement wait, then re-check its WHERE on the committed row: the
    // revision moved, so it changes nothing. One conditional statement
    // decides; nothing is read first.
    static const std::string sql = changed_lock_sql(
        "UPDATE locks SET user_id = $1, session_id = $2, acquired_at = $3, last_activity_at = $3,"
        " expires_at = $4, fencing_token = fencing_token + 1, revision = revision + 1"
        " WHERE appointment_id = $5 AND revision = $6");
    return changed(
        db_.query("grant_lock", sql, holder.id, session_id, now, expires_at, appointment_id, expected_revision));
  }

  std::optional<lock_record> touch_lock(std::string_view appointment_id, std::int64_t fencing_token, time_point now,
                                        time_point expires_at) override {
    static const std::string sql = changed_lock_sql(
        "UPDATE locks SET last_activity_at = $1, expires_at = $2"
        " WHERE appointment_id = $3 AND fencing_token = $4 AND user_id IS NOT NULL AND expires_at > $1");
    return changed(db_.query("touch_lock", sql, now, expires_at, appointment_id, fencing_token));
  }

  bool clear_lock(std::string_view appointment_id, std::int64_t expected_revision) override {
    // fencing_token stays: the next grant must go above every token handed out.
    static const std::string sql =
        "UPDATE locks SET user_id = NULL, session_id = NULL, acquired_at = NULL,"
        " last_activity_at = NULL, expires_at = NULL, revision = revision + 1"
        " WHERE appointment_id = $1 AND revision = $2";
    return db_.query("clear_lock", sql, appointment_id, expected_revision).affected() == 1;
  }

  std::vector<lock_slot> due_locks(time_point now) override {
    static const std::string sql =
        lock_columns + " WHERE l.user_id IS NOT NULL AND l.expires_at <= $1 ORDER BY l.expires_at, l.appointment_id";
    return all_rows<lock_slot>(db_.query("due_locks", sql, now), slot_from);
  }

  std::optional<control_request> read_control(std::string_view appointment_id) override {
    static const std::string sql = control_columns + " WHERE c.appointment_id = $1";
    const auto r = db_.query("read_control", sql, appointment_id);
    if (r.empty()) return std::nullopt;
    return control_from(r, 0);
  }

  void put_control(const control_request& c) override {
    static const std::string sql =
        "INSERT INTO control_requests (appointment_id, admin_id, admin_session_id, requested_at, deadline,"
        " holder_token) VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (appointment_id) DO UPDATE SET admin_id = excluded.admin_id,"
        " admin_session_id = excluded.admin_session_id, requested_at = excluded.requested_at,"
        " deadline = excluded.deadline, holder_token = excluded.holder_token";
    db_.query("put_control", sql, c.appointment_id, c.admin.id, c.admin_session_id, c.requested_at, c.deadline,
              c.holder_token);
  }

  bool clear_control(std::string_view appointment_id) override {
    static const std::string sql = "DELETE FROM control_requests WHERE appointment_id = $1";
    return db_.query("clear_control", sql, appointment_id).affected() > 0;
  }

  std::vector<control_request> due_controls(time_point now) override {
    static const std::string sql = control_columns + " WHERE c.deadline <= $1 ORDER BY c.deadline";
    return all_rows<control_request>(db_.query("due_controls", sql, now), control_from);
  }

  void enqueue(const queue_entry& e) override {
    // DO NOTHING on a repeat keeps the original seq, hence the place in line.
    static const std::string sql =
        "INSERT INTO lock_queue (appointment_id, user_id, session_id, role, enqueued_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (appointment_id, user_id, session_id) DO NOTHING";
    db_.query("enqueue", sql, e.appointment_id, e.who.id, e.session_id, to_string(e.role), e.enqueued_at);
  }

  bool dequeue(std::string_view appointment_id, std::string_view user_id, std::string_view session_id) override {
    static const std::string sql =
        "DELETE FROM lock_queue WHERE appointment_id = $1 AND user_id = $2 AND session_id = $3";
    return db_.query("dequeue", sql, appointment_id, user_id, session_id).affected() > 0;
  }

  std::vector<queue_entry> queue(std::string_view appointment_id) override { return select_queue(db_, appointment_id); }

  std::int64_t append_audit(const audit_entry& e) override {
    static const std::string sql =
        "INSERT INTO audit (at, appointment_id, action, actor_id, actor_name, actor_email,"
        " previous_id, previous_name, previous_email, reason)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
    const auto field = [](const std::optional<user_ref>& ref, std::string user_ref::*member) {
      return ref ? std::optional<std::string_view>((*ref).*member) : std::nullopt;
    };
    const auto r = db_.query(
        "append_audit", sql, e.at, e.appointment_id, to_string(e.action), field(e.actor, &user_ref::id),
        field(e.actor, &user_ref::name), field(e.actor, &user_ref::email), field(e.previous_holder, &user_ref::id),
        field(e.previous_holder, &user_ref::name), field(e.previous_holder, &user_ref::email), e.reason);
    if (r.empty()) throw store_error("postgres: append_audit: no id returned");
    return r.int64(0, 0);
  }

  void notify(std::string_view channel, std::string_view payload) override {
    // Queued by the server and delivered to every listener at commit, in
    // commit order; dropped on rollback.
    db_.query("notify", "SELECT pg_notify($1, $2)", channel, payload);
  }

 private:
  // The row a conditional lock UPDATE returned; none: the condition did not hold.
  static std::optional<lock_record> changed(const pg_rows& r) {
    if (r.empty()) return std::nullopt;
    return slot_from(r, 0).lock;
  }

  pg_connection& db_;
};

}  // namespace

// ---- store -----------------------------------------------------------------

pg_store::pg_store(const std::string& url, std::size_t max_connections) : pool_(url, max_connections) {
  auto db = pool_.borrow();
  apply_pg_migrations(*db, system_clock{}.now());
}

template <class Work>
auto pg_store::read(Work&& work) {
  auto db = pool_.borrow();
  return work(*db);
}

void pg_store::write(const std::function<bool(pg_connection&)>& work) {
  for (int attempt = 1;; ++attempt) {
    auto db = pool_.borrow();
    try {
      db->exec("begin", "BEGIN ISOLATION LEVEL READ COMMITTED");
    } catch (const store_error&) {
      // A pooled connection the server closed while it sat idle (a restart,
      // a failover): nothing has run yet, so a fresh connection may try.
      if (db->healthy() || attempt >= max_transient_attempts) throw;
      continue;
    }
    try {
      const bool commit = work(*db);
      db->exec(commit ? "commit" : "rollback", commit ? "COMMIT" : "ROLLBACK");
      return;
    } catch (const store_error&) {
      const bool again = pg_transient(db->last_sqlstate()) && attempt < max_transient_attempts;
      db->rollback_quietly();
      if (!again) throw;
    } catch (...) {
      db->rollback_quietly();
      throw;
    }
  }
}

bool pg_store::create_user(const user& u) {
  static const std::string sql =
      "INSERT INTO users (id, email, name, role, disabled, password_hash, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT ((lower(email))) DO NOTHING";
  return read([&](pg_connection& db) {
    return db.query("create_user", sql, u.id, u.email, u.name, to_string(u.role), u.disabled, u.password_hash,
                    u.created_at)
               .affected() == 1;
  });
}

bool pg_store::save_user(const user& u) {
  static const std::string sql =
      "UPDATE users SET email = $1, name = $2, role = $3, disabled = $4, password_hash = $5 WHERE id = $6";
  return read([&](pg_connection& db) {
    return db.query("save_user", sql, u.email, u.name, to_string(u.role), u.disabled, u.password_hash, u.id)
               .affected() == 1;
  });
}

std::optional<user> pg_store::find_user(std::string_view id) {
  return read([&](pg_connection& db) -> std::optional<user> {
    static const std::string sql = user_columns + " WHERE u.id = $1";
    const auto r = db.query("find_user", sql, id);
    if (r.empty()) return std::nullopt;
    return user_from(r, 0);
  });
}

std::optional<user> pg_store::find_user_by_email(std::string_view email) {
  return read([&](pg_connection& db) -> std::optional<user> {
    static const std::string sql = user_columns + " WHERE lower(u.email) = lower($1::text COLLATE \"C\")";
    const auto r = db.query("find_user_by_email", sql, email);
    if (r.empty()) return std::nullopt;
    return user_from(r, 0);
  });
}

std::vector<user> pg_store::list_users() {
  return read([&](pg_connection& db) {
    // As SQLite's NOCASE column sorts.
    static const std::string sql = user_columns + " ORDER BY lower(u.email), u.id";
    return all_rows<user>(db.query("list_users", sql), user_from);
  });
}

std::int64_t pg_store::count_users() {
  return read([&](pg_connection& db) { return db.query("count_users", "SELECT COUNT(*) FROM users").int64(0, 0); });
}

void pg_store::create_auth_session(const auth_session& s) {
  write([&](pg_connection& db) {
    // Signing in is when sessions are added, so it is also when expired ones go.
    db.query("create_auth_session: prune", "DELETE FROM auth_sessions WHERE expires_at <= $1", s.created_at);
    db.query("create_auth_session",
             "INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
             s.token_hash, s.user_id, s.created_at, s.expires_at);
    return true;
  });
}

std::optional<session_user> pg_store::find_session_user(std::string_view token_hash, time_point now) {
  return read([&](pg_connection& db) -> std::optional<session_user> {
    // The user's columns first (user_from reads them by position), the session's end last.
    static const std::string sql = user_columns.substr(0, user_columns.find(" FROM ")) +
                                   ", s.expires_at FROM users u JOIN auth_sessions s ON s.user_id = u.id"
                                   " WHERE s.token_hash = $1 AND s.expires_at > $2";
    const auto r = db.query("find_session_user", sql, token_hash, now);
    if (r.empty()) return std::nullopt;
    return session_user{user_from(r, 0), r.time(0, 7)};
  });
}

void pg_store::delete_auth_session(std::string_view token_hash) {
  read([&](pg_connection& db) {
    return db.query("delete_auth_session", "DELETE FROM auth_sessions WHERE token_hash = $1", token_hash).affected();
  });
}

void pg_store::delete_auth_sessions_of(std::string_view user_id) {
  read([&](pg_connection& db) {
    return db.query("delete_auth_sessions_of", "DELETE FROM auth_sessions WHERE user_id = $1", user_id).affected();
  });
}

void pg_store::create_ws_ticket(std::string_view ticket_hash, std::string_view user_id, std::string_view auth_session,
                                time_point expires_at) {
  read([&](pg_connection& db) {
    return db
        .query("create_ws_ticket",
               "INSERT INTO ws_tickets (ticket_hash, user_id, auth_session, expires_at) VALUES ($1, $2, $3, $4)",
               ticket_hash, user_id, auth_session, expires_at)
        .affected();
  });
}

std::optional<ticket_owner> pg_store::redeem_ws_ticket(std::string_view ticket_hash, time_point now) {
  std::optional<std::pair<std::string, std::string>> owner;  // user id, sign-in session
  write([&](pg_connection& db) {
    owner.reset();
    // Unused tickets go when any is redeemed, so the table stays small.
    db.query("redeem_ws_ticket: prune", "DELETE FROM ws_tickets WHERE expires_at <= $1 AND ticket_hash <> $2", now,
             ticket_hash);
    // DELETE … RETURNING: of two processes redeeming the same ticket, one gets
    // the row. It opens a socket only while the sign-in that asked for it is
    // still open (logout deletes it, and with it every unused ticket it had).
    const auto r =
        db.query("redeem_ws_ticket",
                 "DELETE FROM ws_tickets t WHERE t.ticket_hash = $1 RETURNING t.user_id, t.expires_at, t.auth_session,"
                 " EXISTS (SELECT 1 FROM auth_sessions s WHERE s.token_hash = t.auth_session AND s.expires_at > $2)",
                 ticket_hash, now);
    if (!r.empty() && r.time(0, 1) > now && r.text(0, 3) == "t") owner.emplace(r.text(0, 0), r.text(0, 2));
    return true;
  });
  if (!owner) return std::nullopt;
  auto u = find_user(owner->first);
  if (!u) return std::nullopt;
  return ticket_owner{std::move(*u), std::move(owner->second)};
}

std::optional<appointment> pg_store::find_appointment(std::string_view id) {
  return read([&](pg_connection& db) { return select_appointment(db, id); });
}

std::vector<appointment> pg_store::list_appointments(const appointment_query& q) {
  return read([&](pg_connection& db) {
    // Assembled from fixed fragments only (values are bound): each shape is prepared once, and
    // every one walks the (starts_at, id) index from `from` or the cursor.
    std::vector<pg_param> params;
    const auto param = [&](pg_param v) {
      params.push_back(std::move(v));
      std::string placeholder = "$";
      placeholder += std::to_string(params.size());
      return placeholder;
    };
    std::string sql = appointment_columns + " WHERE a.deleted_at IS NULL AND a.starts_at >= " + param(to_param(q.from));
    if (q.to) sql += " AND a.starts_at < " + param(to_param(*q.to));
    if (q.after) {
      const auto at = param(to_param(q.after->starts_at));  // numbered in binding order: one statement each
      const auto id = param(q.after->id);
      sql += " AND (a.starts_at, a.id) > (" + at + "::BIGINT, " + id + ")";
    }
    if (!q.statuses.empty()) {
      sql += " AND a.status IN (";
      for (std::size_t i = 0; i < q.statuses.size(); ++i) {
        if (i) sql += ", ";
        sql += param(std::string(to_string(q.statuses[i])));
      }
      sql += ")";
    }
    if (!q.text.empty()) {
      const auto needle = "lower(" + param(q.text) + ")";
      sql += " AND (strpos(lower(a.title), " + needle + ") > 0 OR strpos(lower(a.client_name), " + needle +
             ") > 0 OR strpos(lower(a.client_email), " + needle + ") > 0 OR strpos(lower(a.location), " + needle +
             ") > 0 OR strpos(lower(a.notes), " + needle + ") > 0)";
    }
    sql += " ORDER BY a.starts_at, a.id LIMIT " + param(to_param(std::clamp(q.limit, 1, 501)));
    return all_rows<appointment>(db.run_prepared("list_appointments", sql, params), appointment_from);
  });
}

std::vector<appointment> pg_store::find_conflicts(const conflict_query& q) {
  return read([&](pg_connection& db) {
    // An appointment lasts at most a day, so only those starting within a day before can overlap:
    // the (place, starts_at) index bounds the walk.
    static const std::string sql = appointment_columns +
                                   " WHERE lower(trim(a.location)) = lower(trim($1)) AND a.starts_at > $2"
                                   " AND a.starts_at < $3 AND a.ends_at > $4 AND a.id <> $5 AND a.deleted_at IS NULL"
                                   " AND a.status <> 'cancelled' ORDER BY a.starts_at, a.id LIMIT $6";
    return all_rows<appointment>(db.query("find_conflicts", sql, q.location, q.starts_at - max_appointment_length,
                                          q.ends_at, q.starts_at, q.exclude_id, std::clamp(q.limit, 1, 100)),
                                 appointment_from);
  });
}

std::vector<history_entry> pg_store::history(std::string_view appointment_id) {
  return read([&](pg_connection& db) {
    const auto r =
        db.query("history",
                 "SELECT v.version, v.at, v.user_id, v.user_name, v.user_email, c.field, c.from_value, c.to_value"
                 " FROM appointment_versions v LEFT JOIN appointment_changes c"
                 " ON c.appointment_id = v.appointment_id AND c.version = v.version"
                 " WHERE v.appointment_id = $1 ORDER BY v.version DESC, c.position",
                 appointment_id);
    std::vector<history_entry> out;
    for (int i = 0; i < r.size(); ++i) {
      if (out.empty() || out.back().version != r.int64(i, 0))
        out.push_back({std::string(appointment_id),
                       r.int64(i, 0),
                       r.time(i, 1),
                       user_ref{r.text(i, 2), r.text(i, 3), r.text(i, 4)},
                       {}});
      if (!r.is_null(i, 5)) out.back().changes.push_back({r.text(i, 5), r.optional_text(i, 6), r.optional_text(i, 7)});
    }
    return out;
  });
}

std::optional<lock_offer> pg_store::offer(std::string_view appointment_id) {
  return read([&](pg_connection& db) -> std::optional<lock_offer> {
    static const std::string sql = offer_columns + " WHERE o.appointment_id = $1";
    const auto r = db.query("offer", sql, appointment_id);
    if (r.empty()) return std::nullopt;
    return offer_from(r, 0);
  });
}

std::vector<std::string> pg_store::lines_of(std::string_view user_id, std::string_view session_id) {
  return read([&](pg_connection& db) {
    const auto r = db.query("lines_of",
                            "SELECT appointment_id FROM lock_queue WHERE user_id = $1 AND session_id = $2"
                            " UNION SELECT appointment_id FROM lock_offers WHERE user_id = $1 AND session_id = $2",
                            user_id, session_id);
    return all_rows<std::string>(r, [](const pg_rows& rows, int i) { return rows.text(i, 0); });
  });
}

std::vector<lock_offer> pg_store::open_offers() {
  return read([&](pg_connection& db) {
    static const std::string sql = offer_columns + " ORDER BY o.appointment_id";
    return all_rows<lock_offer>(db.query("open_offers", sql), offer_from);
  });
}

std::int64_t pg_store::count_appointments() {
  return read([&](pg_connection& db) {
    return db.query("count_appointments", "SELECT COUNT(*) FROM appointments").int64(0, 0);
  });
}

std::optional<lock_slot> pg_store::read_lock(std::string_view appointment_id) {
  return read([&](pg_connection& db) { return select_lock(db, appointment_id); });
}

std::vector<lock_record> pg_store::held_locks() {
  return read([&](pg_connection& db) {
    static const std::string sql = lock_columns + " WHERE l.user_id IS NOT NULL ORDER BY l.appointment_id";
    const auto r = db.query("held_locks", sql);
    std::vector<lock_record> held;
    held.reserve(static_cast<std::size_t>(r.size()));
    for (int i = 0; i < r.size(); ++i) held.push_back(*slot_from(r, i).lock);
    return held;
  });
}

std::optional<time_point> pg_store::next_expiry() {
  return read([&](pg_connection& db) {
    // LEAST skips NULLs: NULL only when nothing is due at all.
    return db
        .query("next_expiry",
               "SELECT LEAST((SELECT MIN(expires_at) FROM locks WHERE user_id IS NOT NULL),"
               " (SELECT MIN(deadline) FROM control_requests), (SELECT MIN(deadline) FROM lock_offers))")
        .optional_time(0, 0);
  });
}

std::vector<queue_entry> pg_store::queue(std::string_view appointment_id) {
  return read([&](pg_connection& db) { return select_queue(db, appointment_id); });
}

std::vector<audit_entry> pg_store::list_audit(const audit_filter& filter) {
  return read([&](pg_connection& db) {
    // Assembled from fixed fragments only (values are bound), so each of its
    // few shapes is prepared once.
    std::vector<pg_param> params;
    std::string sql = audit_columns + " WHERE TRUE";
    const auto add = [&](const char* condition, pg_param value) {
      params.push_back(std::move(value));
      sql += std::string(" AND ") + condition + " $" + std::to_string(params.size());
    };
    if (filter.appointment_id) add("appointment_id =", *filter.appointment_id);
    if (filter.actor_id) add("actor_id =", *filter.actor_id);
    if (filter.action) add("action =", std::string(to_string(*filter.action)));
    if (filter.before_id) add("id <", to_param(*filter.before_id));
    params.push_back(to_param(std::clamp(filter.limit, 1, 500)));
    sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
    return all_rows<audit_entry>(db.run_prepared("list_audit", sql, params), audit_from);
  });
}

void pg_store::ping() {
  read([](pg_connection& db) {
    db.exec("ready", "SELECT 1");
    return true;
  });
}

void pg_store::transact(const std::function<bool(store_tx&)>& work) {
  std::vector<std::function<void()>> committed;
  write([&](pg_connection& db) {
    pg_tx tx(db);
    const bool commit = work(tx);
    committed = commit ? tx.take_after_commit() : std::vector<std::function<void()>>{};  // the last attempt's
    return commit;
  });
  for (const auto& f : committed) f();
}

}  // namespace slotlock
