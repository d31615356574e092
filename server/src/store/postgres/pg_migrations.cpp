#include "store/postgres/pg_migrations.hpp"

#include <array>
#include <string>

#include "domain/store.hpp"
#include "store/postgres/pg_db.hpp"

namespace slotlock {

namespace {

// Times are BIGINT milliseconds since the epoch (UTC), as in SQLite. Text
// keys sort as bytes (COLLATE "C"), as SQLite's do, whatever the database's
// locale. E-mails are unique and looked up case-insensitively, as SQLite's
// NOCASE column is.
constexpr const char* migration_1 = R"sql(
CREATE TABLE users (
  id            TEXT COLLATE "C" PRIMARY KEY,
  email         TEXT COLLATE "C" NOT NULL,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('user', 'admin')),
  disabled      BOOLEAN NOT NULL DEFAULT FALSE,
  password_hash TEXT NOT NULL,
  created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE auth_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
CREATE INDEX auth_sessions_expiry ON auth_sessions (expires_at);

CREATE TABLE appointments (
  id           TEXT COLLATE "C" PRIMARY KEY,
  title        TEXT NOT NULL,
  client_name  TEXT NOT NULL,
  client_email TEXT NOT NULL,
  starts_at    BIGINT NOT NULL,
  ends_at      BIGINT NOT NULL,
  location     TEXT NOT NULL,
  notes        TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('scheduled', 'confirmed', 'cancelled')),
  version      BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL,
  updated_by   TEXT COLLATE "C" REFERENCES users (id)
);
CREATE INDEX appointments_start ON appointments (starts_at, id);

-- One row per appointment for its whole life: the fencing token keeps
-- growing across releases and restarts.
CREATE TABLE locks (
  appointment_id   TEXT COLLATE "C" PRIMARY KEY REFERENCES appointments (id) ON DELETE CASCADE,
  revision         BIGINT NOT NULL DEFAULT 0,
  fencing_token    BIGINT NOT NULL DEFAULT 0,
  user_id          TEXT COLLATE "C" REFERENCES users (id),
  session_id       TEXT,
  acquired_at      BIGINT,
  last_activity_at BIGINT,
  expires_at       BIGINT,
  CHECK ((user_id IS NULL AND session_id IS NULL AND acquired_at IS NULL
          AND last_activity_at IS NULL AND expires_at IS NULL)
      OR (user_id IS NOT NULL AND session_id IS NOT NULL AND acquired_at IS NOT NULL
          AND last_activity_at IS NOT NULL AND expires_at IS NOT NULL))
);
CREATE INDEX locks_expiry ON locks (expires_at);

CREATE TABLE lock_queue (
  seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appointment_id TEXT COLLATE "C" NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
  user_id        TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id     TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('user', 'admin')),
  enqueued_at    BIGINT NOT NULL,
  UNIQUE (appointment_id, user_id, session_id)
);

CREATE TABLE control_requests (
  appointment_id   TEXT COLLATE "C" PRIMARY KEY REFERENCES appointments (id) ON DELETE CASCADE,
  admin_id         TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  admin_session_id TEXT NOT NULL,
  requested_at     BIGINT NOT NULL,
  deadline         BIGINT NOT NULL,
  holder_token     BIGINT NOT NULL
);
CREATE INDEX control_requests_deadline ON control_requests (deadline);

-- Names and e-mails are copied, not joined; no foreign keys: nothing may
-- cascade into the trail.
CREATE TABLE audit (
  id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             BIGINT NOT NULL,
  appointment_id TEXT COLLATE "C" NOT NULL,
  action         TEXT NOT NULL,
  actor_id       TEXT COLLATE "C",
  actor_name     TEXT,
  actor_email    TEXT,
  previous_id    TEXT COLLATE "C",
  previous_name  TEXT,
  previous_email TEXT,
  reason         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_appointment ON audit (appointment_id, id);
CREATE INDEX audit_actor ON audit (actor_id, id);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit rows are append-only';
END;
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE TABLE ws_tickets (
  ticket_hash TEXT PRIMARY KEY,
  user_id     TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at  BIGINT NOT NULL
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
ALTER TABLE appointments ADD COLUMN deleted_at BIGINT;
ALTER TABLE appointments ADD COLUMN deleted_by TEXT COLLATE "C" REFERENCES users (id);
CREATE INDEX appointments_place ON appointments (lower(trim(location)), starts_at);

-- Like the audit, names and e-mails are copied: history reads as it was written.
CREATE TABLE appointment_versions (
  appointment_id TEXT COLLATE "C" NOT NULL REFERENCES appointments (id),
  version        BIGINT NOT NULL,
  at             BIGINT NOT NULL,
  user_id        TEXT COLLATE "C",
  user_name      TEXT NOT NULL,
  user_email     TEXT NOT NULL,
  PRIMARY KEY (appointment_id, version)
);
CREATE TABLE appointment_changes (
  appointment_id TEXT COLLATE "C" NOT NULL,
  version        BIGINT NOT NULL,
  position       INTEGER NOT NULL,
  field          TEXT NOT NULL,
  from_value     TEXT,
  to_value       TEXT,
  PRIMARY KEY (appointment_id, version, position),
  FOREIGN KEY (appointment_id, version) REFERENCES appointment_versions (appointment_id, version)
);

CREATE TABLE lock_offers (
  appointment_id TEXT COLLATE "C" PRIMARY KEY REFERENCES appointments (id) ON DELETE CASCADE,
  user_id        TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id     TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('user', 'admin')),
  offered_at     BIGINT NOT NULL,
  deadline       BIGINT NOT NULL
);
CREATE INDEX lock_offers_deadline ON lock_offers (deadline);
)sql";

constexpr std::array<pg_migration, 3> all_migrations{{
    {1, migration_1},
    {2, migration_2},
    {3, migration_3},
}};

// Any constant shared by every slotlock process: "slotlock" in ASCII.
constexpr const char* migration_lock_key = "7308604897068083051";

}  // namespace

std::span<const pg_migration> pg_migrations() { return all_migrations; }

int apply_pg_migrations(pg_connection& db, time_point now) {
  db.exec("migrate: begin", "BEGIN");
  try {
    // Held until COMMIT: a second process starting now waits here, then
    // finds every migration recorded.
    db.exec("migrate: advisory lock", std::string("SELECT pg_advisory_xact_lock(") + migration_lock_key + ")");
    db.exec("migrate: schema_migrations",
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)");
    const auto current =
        db.query("migrate: read version", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").int64(0, 0);
    const std::int64_t known = all_migrations.back().version;
    if (current > known)
      throw store_error("postgres: the database has schema version " + std::to_string(current) +
                        ", newer than this build knows (" + std::to_string(known) + ")");
    int applied = 0;
    for (const auto& m : all_migrations) {
      if (m.version <= current) continue;
      db.exec("migrate: apply version " + std::to_string(m.version), m.sql);
      db.query("migrate: record", "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", m.version,
               now);
      ++applied;
    }
    db.exec("migrate: commit", "COMMIT");
    return applied;
  } catch (...) {
    db.rollback_quietly();
    throw;
  }
}

}  // namespace slotlock
