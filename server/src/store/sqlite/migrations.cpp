#include "store/sqlite/migrations.hpp"

#include <array>
#include <string>

#include "domain/store.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace slotlock {

namespace {

// Times are INTEGER milliseconds since the epoch (UTC).
constexpr const char* migration_1 = R"sql(
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('user', 'admin')),
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);

CREATE TABLE auth_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
-- Expired sessions are pruned by expiry.
CREATE INDEX auth_sessions_expiry ON auth_sessions (expires_at);

CREATE TABLE appointments (
  id           TEXT PRIMARY KEY,
  title        TEXT NOT NULL,
  client_name  TEXT NOT NULL,
  client_email TEXT NOT NULL,
  starts_at    INTEGER NOT NULL,
  ends_at      INTEGER NOT NULL,
  location     TEXT NOT NULL,
  notes        TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('scheduled', 'confirmed', 'cancelled')),
  version      INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  -- NULL when no person made the last change (seeded data).
  updated_by   TEXT REFERENCES users (id)
);
CREATE INDEX appointments_start ON appointments (starts_at, id);

-- One row per appointment for its whole life: the fencing token must keep
-- growing across releases and restarts, so a free lock is a row with no
-- holder, not a missing row.
CREATE TABLE locks (
  appointment_id   TEXT PRIMARY KEY REFERENCES appointments (id) ON DELETE CASCADE,
  revision         INTEGER NOT NULL DEFAULT 0,
  fencing_token    INTEGER NOT NULL DEFAULT 0,
  user_id          TEXT REFERENCES users (id),
  session_id       TEXT,
  acquired_at      INTEGER,
  last_activity_at INTEGER,
  expires_at       INTEGER,
  CHECK ((user_id IS NULL AND session_id IS NULL AND acquired_at IS NULL
          AND last_activity_at IS NULL AND expires_at IS NULL)
      OR (user_id IS NOT NULL AND session_id IS NOT NULL AND acquired_at IS NOT NULL
          AND last_activity_at IS NOT NULL AND expires_at IS NOT NULL))
);
CREATE INDEX locks_expiry ON locks (expires_at);

CREATE TABLE lock_queue (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  appointment_id TEXT NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
  user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id     TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('user', 'admin')),
  enqueued_at    INTEGER NOT NULL,
  UNIQUE (appointment_id, user_id, session_id)
);

CREATE TABLE control_requests (
  appointment_id   TEXT PRIMARY KEY REFERENCES appointments (id) ON DELETE CASCADE,
  admin_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  admin_session_id TEXT NOT NULL,
  requested_at     INTEGER NOT NULL,
  deadline         INTEGER NOT NULL,
  holder_token     INTEGER NOT NULL
);
CREATE INDEX control_requests_deadline ON control_requests (deadline);

-- Names and e-mails are copied, not joined: an audit row must read as it
-- did when written, even after the people in it are renamed. No foreign
-- keys either: nothing may cascade into the trail.
CREATE TABLE audit (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  at             INTEGER NOT NULL,
  appointment_id TEXT NOT NULL,
  action         TEXT NOT NULL,
  actor_id       TEXT,
  actor_name     TEXT,
  actor_email    TEXT,
  previous_id    TEXT,
  previous_name  TEXT,
  previous_email TEXT,
  reason         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_appointment ON audit (appointment_id, id);
CREATE INDEX audit_actor ON audit (actor_id, id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit rows are append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit rows are append-only');
END;

-- Single-use tickets that authenticate a WebSocket upgrade (a browser cannot
-- send a bearer header there). Only the hash is kept.
CREATE TABLE ws_tickets (
  ticket_hash TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX ws_tickets_expiry ON ws_tickets (expires_at);
)sql";

// A WebSocket ticket belongs to the sign-in session that asked for it: a
// logout deletes the session and, with it, every ticket it had not used.
constexpr const char* migration_2 = R"sql(
DELETE FROM ws_tickets;
ALTER TABLE ws_tickets ADD COLUMN auth_session TEXT REFERENCES auth_sessions (token_hash) ON DELETE CASCADE;
CREATE INDEX ws_tickets_session ON ws_tickets (auth_session);
)sql";

// Issue 13: tombstones, the history of every save, offers of a free lock to the head of
// the line, and an index for the double-booking check. History starts with the next save
// for appointments older than this migration.
constexpr const char* migration_3 = R"sql(
ALTER TABLE appointments ADD COLUMN deleted_at INTEGER;
ALTER TABLE appointments ADD COLUMN deleted_by TEXT REFERENCES users (id);
CREATE INDEX appointments_place ON appointments (lower(trim(location)), starts_at);

-- Like the audit, names and e-mails are copied: history reads as it was written.
CREATE TABLE appointment_versions (
  appointment_id TEXT NOT NULL REFERENCES appointments (id),
  version        INTEGER NOT NULL,
  at             INTEGER NOT NULL,
  user_id        TEXT,
  user_name      TEXT NOT NULL,
  user_email     TEXT NOT NULL,
  PRIMARY KEY (appointment_id, version)
);
CREATE TABLE appointment_changes (
  appointment_id TEXT NOT NULL,
  version        INTEGER NOT NULL,
  position       INTEGER NOT NULL,
  field          TEXT NOT NULL,
  from_value     TEXT,
  to_value       TEXT,
  PRIMARY KEY (appointment_id, version, position),
  FOREIGN KEY (appointment_id, version) REFERENCES appointment_versions (appointment_id, version)
);

CREATE TABLE lock_offers (
  appointment_id TEXT PRIMARY KEY REFERENCES appointments (id) ON DELETE CASCADE,
  user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id     TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('user', 'admin')),
  offered_at     INTEGER NOT NULL,
  deadline       INTEGER NOT NULL
);
CREATE INDEX lock_offers_deadline ON lock_offers (deadline);
)sql";

constexpr std::array<sqlite_migration, 3> all_migrations{{
    {1, migration_1},
    {2, migration_2},
    {3, migration_3},
}};

}  // namespace

std::span<const sqlite_migration> sqlite_migrations() { return all_migrations; }

int apply_sqlite_migrations(sqlite_connection& db, time_point now) {
  // IMMEDIATE: two processes opening a new database at once must not both
  // decide to apply migration 1.
  db.exec("BEGIN IMMEDIATE", "migrate: begin");
  try {
    db.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
        "migrate: schema_migrations");

    std::int64_t current = 0;
    {
      auto latest = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "migrate: read version");
      if (latest.step()) current = latest.int64(0);
    }
    const std::int64_t known = all_migrations.back().version;
    if (current > known)
      throw store_error("sqlite: the database has schema version " + std::to_string(current) +
                        ", newer than this build knows (" + std::to_string(known) + ")");

    int applied = 0;
    for (const auto& m : all_migrations) {
      if (m.version <= current) continue;
      db.exec(m.sql, "migrate: apply version " + std::to_string(m.version));
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", "migrate: record")
          .bind(m.version, now)
          .run();
      ++applied;
    }
    db.exec("COMMIT", "migrate: commit");
    return applied;
  } catch (...) {
    db.rollback_quietly();
    throw;
  }
}

}  // namespace slotlock
