#pragma once
// The PostgreSQL schema, as numbered migrations kept in code (the same
// numbers and meaning as SQLite's). Recorded in schema_migrations.

#include <cstdint>
#include <span>

#include "domain/time.hpp"

namespace slotlock {

class pg_connection;

struct pg_migration {
  std::int64_t version;
  const char* sql;
};

std::span<const pg_migration> pg_migrations();

// Applies what the database has not seen, in one transaction, holding an
// advisory lock so that processes starting together apply each migration
// once. Returns how many were applied; store_error for a database from a
// newer build.
int apply_pg_migrations(pg_connection& db, time_point now);

}  // namespace slotlock
