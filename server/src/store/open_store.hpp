#pragma once
// Opening the store and event bus that a database URL names: the one place that knows the
// implementations in sqlite/ and postgres/.

#include <memory>
#include <string>

#include "domain/events.hpp"
#include "domain/store.hpp"

namespace slotlock {

// "sqlite:path/to/file.db" (or a bare path), or "postgres://..." / "postgresql://...".
std::unique_ptr<store> open_store(const std::string& url);

// `slotlock backup`: an online, integrity-checked copy of the SQLite database at `url` into the new
// file `to`. For PostgreSQL it throws std::invalid_argument saying to use pg_dump.
void backup_store(const std::string& url, const std::string& to);

// The event bus that fits the store at `url`: in-process for SQLite;
// LISTEN/NOTIFY between every process on the database for PostgreSQL.
std::unique_ptr<event_bus> open_event_bus(const std::string& url, store& s);

}  // namespace slotlock
