// Chooses the store implementation from the --db URL.
#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "domain/events.hpp"
#include "store/open_store.hpp"
#include "store/postgres/pg_event_bus.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_backup.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace slotlock {

namespace {

constexpr std::string_view sqlite_prefix = "sqlite:";

bool is_postgres(std::string_view url) { return url.starts_with("postgres://") || url.starts_with("postgresql://"); }

// "name:" at the start, as in a URL scheme. A path whose first colon comes
// after a '/' or '.' (data/a:b.db, ./a:b.db) is not taken for one.
bool has_scheme(std::string_view url) {
  const auto colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (std::isalpha(static_cast<unsigned char>(url[0])) == 0) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(url[i]);
    if (std::isalnum(c) == 0 && c != '+' && c != '-') return false;
  }
  return true;
}

// The file holds password hashes, sign-in tokens' hashes and clients' details: only the
// server's own user may read it. SQLite creates -wal and -shm with the mode of the main file,
// so creating that one 0600 (before SQLite writes a byte) covers all three. An existing file
// keeps the mode its owner gave it.
void create_private(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0) {
    ::close(fd);
    return;
  }
  if (errno == EEXIST) return;
  throw store_error("cannot create the database file " + path + ": " + std::strerror(errno));
}

std::unique_ptr<store> open_sqlite(const std::string& url, const std::string& path) {
  if (path.empty()) throw std::invalid_argument("database URL '" + url + "' names no file: use sqlite:PATH");
  // Every pooled connection would get its own, separate in-memory database.
  if (path == ":memory:") throw std::invalid_argument("an in-memory SQLite database is not supported: use a file");
  if (path.starts_with("//"))
    throw std::invalid_argument("database URL '" + url +
                                "' is not understood: write sqlite:PATH, e.g. sqlite:data/slotlock.db or "
                                "sqlite:/var/lib/slotlock/slotlock.db");

  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) throw store_error("cannot create the directory " + parent.string() + ": " + ec.message());
  }
  create_private(path);
  return std::make_unique<sqlite_store>(path, 8, true);
}

// The SQLite file a URL names; nullopt for PostgreSQL. Throws for anything else.
std::optional<std::string> sqlite_file_of(const std::string& url) {
  const std::string_view u = url;
  if (u.starts_with(sqlite_prefix)) return url.substr(sqlite_prefix.size());
  if (is_postgres(u)) return std::nullopt;
  if (u.empty()) throw std::invalid_argument("no database given: use sqlite:PATH");
  if (has_scheme(u))
    throw std::invalid_argument("database URL '" + url +
                                "' is not supported: use sqlite:PATH, a bare file path, or postgres://...");
  return url;
}

}  // namespace

std::unique_ptr<store> open_store(const std::string& url) {
  if (auto file = sqlite_file_of(url)) return open_sqlite(url, *file);
  return std::make_unique<pg_store>(url);
}

void backup_store(const std::string& url, const std::string& to) {
  const auto file = sqlite_file_of(url);
  if (!file)
    throw std::invalid_argument(
        "a PostgreSQL database is backed up with PostgreSQL's own tools: pg_dump --format=custom --file=FILE '" + url +
        "' (and pg_restore to restore it)");
  if (to.empty()) throw std::invalid_argument("backup: say where the copy goes: --to FILE");
  backup_sqlite(*file, to);
}

std::unique_ptr<event_bus> open_event_bus(const std::string& url, store& s) {
  if (is_postgres(url)) return std::make_unique<pg_event_bus>(url, s);
  return std::make_unique<in_process_event_bus>();
}

}  // namespace slotlock
