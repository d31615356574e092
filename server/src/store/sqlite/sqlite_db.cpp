#include "store/sqlite/sqlite_db.hpp"

#include <sqlite3.h>

#include <string>
#include <utility>

#include "domain/store.hpp"

namespace slotlock {

// ---- statement -------------------------------------------------------------

sqlite_statement::sqlite_statement(sqlite_connection& db, sqlite3_stmt* stmt, bool* in_use, std::string_view what)
    : db_(&db), stmt_(stmt), in_use_(in_use), what_(what) {}

sqlite_statement::sqlite_statement(sqlite_statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      what_(other.what_) {}

sqlite_statement::~sqlite_statement() {
  if (stmt_ == nullptr) return;
  if (in_use_ != nullptr) {
    // The result of reset repeats the last step's error, already reported.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

void sqlite_statement::check_bind(int rc, int index) {
  if (rc != SQLITE_OK) db_->fail(rc, std::string(what_) + " (binding parameter " + std::to_string(index) + ")");
}

void sqlite_statement::bind_null(int index) { check_bind(sqlite3_bind_null(stmt_, index), index); }

void sqlite_statement::bind_int64(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value), index);
}

void sqlite_statement::bind_text(int index, std::string_view value) {
  // A null data pointer would bind SQL NULL, not an empty string.
  const char* data = value.data() != nullptr ? value.data() : "";
  check_bind(sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8), index);
}

bool sqlite_statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail(rc, what_);
}

void sqlite_statement::run() {
  while (step()) {
  }
}

bool sqlite_statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t sqlite_statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string sqlite_statement::text(int column) const {
  // text before bytes: the documented order that yields the UTF-8 length.
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

time_point sqlite_statement::time(int column) const { return from_millis(int64(column)); }

std::optional<std::string> sqlite_statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<std::int64_t> sqlite_statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::optional<time_point> sqlite_statement::optional_time(int column) const {
  if (is_null(column)) return std::nullopt;
  return time(column);
}

// ---- connection ------------------------------------------------------------

sqlite_connection::sqlite_connection(const std::string& path) {
  // NOMUTEX: the pool hands a connection to one thread at a time, so
  // SQLite's per-connection mutex would only add cost.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw store_error("sqlite: open " + path + ": " + message);
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    // Set before journal_mode: switching to WAL needs a lock that another
    // process opening the same file may hold for a moment.
    sqlite3_busy_timeout(db_, static_cast<int>(sqlite_busy_timeout.count()));
    {
      auto mode = prepare("PRAGMA journal_mode=WAL", "open: journal_mode");
      if (!mode.step() || mode.text(0) != "wal")
        throw store_error("sqlite: open " + path + ": the database cannot use WAL journaling");
    }
    // foreign_keys is a no-op inside a transaction, hence here, once.
    exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL", "open: pragmas");
  } catch (...) {
    for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
    cache_.clear();
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

sqlite_connection::~sqlite_connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

void sqlite_connection::exec(const char* sql, std::string_view what) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return;
  std::string text = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  throw store_error("sqlite: " + std::string(what) + ": " + text);
}

sqlite_statement sqlite_connection::prepare(std::string_view sql, std::string_view what) {
  auto found = cache_.find(sql);
  if (found != cache_.end() && !found->second.in_use) {
    found->second.in_use = true;
    return sqlite_statement(*this, found->second.stmt, &found->second.in_use, what);
  }

  const bool cache_it = found == cache_.end();
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    cache_it ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) fail(rc, std::string(what) + " (prepare)");
  if (!cache_it) {
    // The cached copy is in use further up the stack: this one is private.
    return sqlite_statement(*this, stmt, nullptr, what);
  }
  auto [slot, inserted] = cache_.emplace(std::string(sql), cached_statement{stmt, true});
  // unordered_map nodes do not move on rehash, so the flag's address is stable.
  return sqlite_statement(*this, stmt, &slot->second.in_use, what);
}

std::int64_t sqlite_connection::changes() const { return sqlite3_changes64(db_); }

bool sqlite_connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

bool sqlite_connection::rollback_quietly() noexcept {
  // Some errors (disk full, I/O) already rolled the transaction back.
  if (!in_transaction()) return true;
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  return !in_transaction();
}

void sqlite_connection::fail(int rc, std::string_view what) const {
  const int current = sqlite3_extended_errcode(db_);
  std::string message = current == rc ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  throw store_error("sqlite: " + std::string(what) + ": " + message);
}

// ---- pool ------------------------------------------------------------------

sqlite_pool::sqlite_pool(std::string path, std::size_t max_size, std::chrono::milliseconds wait_limit)
    : path_(std::move(path)), max_size_(max_size == 0 ? 1 : max_size), wait_limit_(wait_limit) {
  // give_back must not allocate: it runs in destructors.
  idle_.reserve(max_size_);
}

sqlite_pool::lease::~lease() {
  if (db_) pool_->give_back(std::move(db_));
}

sqlite_pool::lease sqlite_pool::borrow() {
  std::unique_lock lock(mutex_);
  const bool ready = freed_.wait_for(lock, wait_limit_, [&] { return !idle_.empty() || open_ < max_size_; });
  if (!ready)
    throw store_error("sqlite: no database connection became free within " + std::to_string(wait_limit_.count()) +
                      " ms");
  if (!idle_.empty()) {
    auto db = std::move(idle_.back());
    idle_.pop_back();
    return lease(*this, std::move(db));
  }
  ++open_;
  lock.unlock();
  // Opening touches the disk; other callers need not wait for it.
  try {
    return lease(*this, std::make_unique<sqlite_connection>(path_));
  } catch (...) {
    lock.lock();
    --open_;
    lock.unlock();
    freed_.notify_one();
    throw;
  }
}

void sqlite_pool::give_back(std::unique_ptr<sqlite_connection> db) noexcept {
  // A connection stuck in a transaction would block every writer: drop it.
  const bool usable = !db->in_transaction() || db->rollback_quietly();
  if (!usable) db.reset();
  {
    std::lock_guard lock(mutex_);
    if (usable)
      idle_.push_back(std::move(db));
    else
      --open_;
  }
  freed_.notify_one();
}

}  // namespace slotlock
