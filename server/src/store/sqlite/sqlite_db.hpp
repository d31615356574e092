#pragma once
// Thin RAII over the sqlite3 C API: a connection that caches its prepared
// statements, a statement borrowed from that cache, and a bounded pool of
// connections shared by the threads that call the store.
//
// sqlite3.h stays out of this header so that users of the store do not see it.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "domain/time.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace slotlock {

class sqlite_connection;

// How long a caller waits for the database (another writer, a free
// connection) before the store gives up with store_error.
inline constexpr std::chrono::milliseconds sqlite_busy_timeout{5000};

// A prepared statement in use. Resets itself and clears its bindings when it
// goes out of scope, so a cached statement never keeps a read transaction open.
class sqlite_statement {
 public:
  sqlite_statement(sqlite_connection& db, sqlite3_stmt* stmt, bool* in_use, std::string_view what);
  ~sqlite_statement();
  sqlite_statement(sqlite_statement&& other) noexcept;
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;
  sqlite_statement& operator=(sqlite_statement&&) = delete;

  // Binds parameters 1..n in order.
  template <class... Args>
  sqlite_statement& bind(const Args&... args) {
    int index = 0;
    (bind_one(++index, args), ...);
    return *this;
  }
  // Binds one parameter (1-based), for SQL whose parameter count varies.
  template <class T>
  sqlite_statement& bind_at(int index, const T& value) {
    bind_one(index, value);
    return *this;
  }

  // true: a row is ready to read; false: the statement has finished.
  bool step();
  // Runs to completion, ignoring any rows.
  void run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string text(int column) const;  // "" for NULL
  time_point time(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  std::optional<time_point> optional_time(int column) const;

 private:
  template <class T>
  struct is_optional : std::false_type {};
  template <class T>
  struct is_optional<std::optional<T>> : std::true_type {};

  template <class T>
  void bind_one(int index, const T& value) {
    if constexpr (std::is_same_v<T, std::nullptr_t> || std::is_same_v<T, std::nullopt_t>) {
      bind_null(index);
    } else if constexpr (is_optional<T>::value) {
      if (value)
        bind_one(index, *value);
      else
        bind_null(index);
    } else if constexpr (std::is_same_v<T, bool>) {
      bind_int64(index, value ? 1 : 0);
    } else if constexpr (std::is_integral_v<T>) {
      bind_int64(index, static_cast<std::int64_t>(value));
    } else if constexpr (std::is_same_v<T, time_point>) {
      bind_int64(index, to_millis(value));
    } else {
      bind_text(index, std::string_view(value));
    }
  }

  void bind_null(int index);
  void bind_int64(int index, std::int64_t value);
  void bind_text(int index, std::string_view value);
  void check_bind(int rc, int index);

  sqlite_connection* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache's flag; null for a statement prepared outside the cache
  std::string_view what_;
};

// One open database handle. Used by one thread at a time (the pool sees to it).
class sqlite_connection {
 public:
  // Opens (creating if missing) and configures the database at `path`.
  explicit sqlite_connection(const std::string& path);
  ~sqlite_connection();
  sqlite_connection(const sqlite_connection&) = delete;
  sqlite_connection& operator=(const sqlite_connection&) = delete;

  // Runs SQL without parameters; may hold several statements.
  void exec(const char* sql, std::string_view what);
  // `what` names the operation in error messages and must outlive the statement.
  sqlite_statement prepare(std::string_view sql, std::string_view what);

  std::int64_t changes() const;
  bool in_transaction() const;
  // Rolls back an open transaction without throwing; false if that failed.
  bool rollback_quietly() noexcept;

  [[noreturn]] void fail(int rc, std::string_view what) const;

 private:
  struct cached_statement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  // Looks statements up by string_view without building a std::string.
  struct sql_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const noexcept { return std::hash<std::string_view>{}(sql); }
  };

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, cached_statement, sql_hash, std::equal_to<>> cache_;
};

// Connections shared by the threads that call the store, opened on demand up
// to `max_size`. A caller waits for a free one rather than opening without
// bound: SQLite takes one writer at a time anyway, so more handles only cost
// memory and file descriptors.
class sqlite_pool {
 public:
  class lease {
   public:
    lease(sqlite_pool& pool, std::unique_ptr<sqlite_connection> db) : pool_(&pool), db_(std::move(db)) {}
    ~lease();
    lease(lease&& other) noexcept = default;
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    lease& operator=(lease&&) = delete;

    sqlite_connection& operator*() const { return *db_; }
    sqlite_connection* operator->() const { return db_.get(); }

   private:
    sqlite_pool* pool_;
    std::unique_ptr<sqlite_connection> db_;
  };

  sqlite_pool(std::string path, std::size_t max_size, std::chrono::milliseconds wait_limit);

  lease borrow();

 private:
  void give_back(std::unique_ptr<sqlite_connection> db) noexcept;

  std::string path_;
  std::size_t max_size_;
  std::chrono::milliseconds wait_limit_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<sqlite_connection>> idle_;
  std::size_t open_ = 0;
};

}  // namespace slotlock
