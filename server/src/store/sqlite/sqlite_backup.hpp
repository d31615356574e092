#pragma once
// An online copy of a SQLite database (`slotlock backup`): SQLite's backup API, safe while a
// server writes to the file, then an integrity check of the copy.

#include <string>

namespace slotlock {

// Copies the database at `from` to the new file `to` (created 0600; an existing file is refused,
// never overwritten) and checks the copy. Throws store_error, with the copy removed, on failure.
void backup_sqlite(const std::string& from, const std::string& to);

}  // namespace slotlock
