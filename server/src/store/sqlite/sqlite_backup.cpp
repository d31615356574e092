#include "store/sqlite/sqlite_backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>

#include "domain/error.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace slotlock {

namespace {

struct closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using handle = std::unique_ptr<sqlite3, closer>;

handle open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  handle h(db);
  if (rc != SQLITE_OK)
    throw store_error("backup: cannot open " + path + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(db, static_cast<int>(sqlite_busy_timeout.count()));
  return h;
}

// The copy, pages at a time; a writer that changes the source restarts it, so a busy server is
// waited out between steps rather than blocked.
void copy(sqlite3* source, sqlite3* target, const std::string& from) {
  sqlite3_backup* b = sqlite3_backup_init(target, "main", source, "main");
  if (b == nullptr) throw store_error("backup: cannot start: " + std::string(sqlite3_errmsg(target)));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  int rc = SQLITE_OK;
  for (;;) {
    rc = sqlite3_backup_step(b, 256);
    const bool busy = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
    if (rc != SQLITE_OK && !(busy && std::chrono::steady_clock::now() < deadline)) break;
    if (busy) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) throw store_error("backup: copying " + from + " failed: " + sqlite3_errstr(rc));
}

void check(sqlite3* db, const std::string& to) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) != SQLITE_OK)
    throw store_error("backup: cannot check " + to + ": " + sqlite3_errmsg(db));
  std::string verdict;
  if (sqlite3_step(st) == SQLITE_ROW) verdict = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  if (verdict != "ok") throw store_error("backup: the copy " + to + " failed its integrity check: " + verdict);
}

}  // namespace

void backup_sqlite(const std::string& from, const std::string& to) {
  if (!std::filesystem::is_regular_file(from)) throw store_error("backup: " + from + " is not a database file");
  // Created here, 0600 and only if new: a backup never overwrites anything.
  const int fd = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw store_error("backup: cannot create " + to + ": " + std::strerror(errno));
  ::close(fd);
  try {
    auto source = open(from, SQLITE_OPEN_READONLY);
    auto target = open(to, SQLITE_OPEN_READWRITE);
    copy(source.get(), target.get(), from);
    check(target.get(), to);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(to, ec);
    throw;
  }
}

}  // namespace slotlock
