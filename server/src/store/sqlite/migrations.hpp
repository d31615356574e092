#pragma once
// The SQLite schema as numbered migrations. A migration, once released, is
// never edited: a change to the schema is a new migration at the end.

#include <cstdint>
#include <span>

#include "domain/time.hpp"

namespace slotlock {

class sqlite_connection;

struct sqlite_migration {
  std::int64_t version;
  const char* sql;
};

std::span<const sqlite_migration> sqlite_migrations();

// Applies, in one transaction, the migrations the database has not recorded
// in schema_migrations yet. Returns how many it applied. Throws store_error
// when the database was written by a newer build (an unknown version).
int apply_sqlite_migrations(sqlite_connection& db, time_point now);

}  // namespace slotlock
