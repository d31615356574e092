#pragma once
// Thin RAII over libpq: a result, a connection that prepares each statement
// once, and a bounded pool of connections shared by the threads that call
// the store. Parameters travel as text; NULL as std::nullopt.
//
// libpq-fe.h stays out of this header so that users of the store do not see it.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "domain/time.hpp"

struct pg_conn;
struct pg_result;

namespace slotlock {

// How long a caller waits for a free connection before giving up.
inline constexpr std::chrono::milliseconds pg_pool_timeout{5000};

// One query's rows. Columns are read by index, in the order the SELECT lists them.
class pg_rows {
 public:
  explicit pg_rows(::pg_result* r);
  ~pg_rows();
  pg_rows(pg_rows&& other) noexcept;
  pg_rows(const pg_rows&) = delete;
  pg_rows& operator=(const pg_rows&) = delete;
  pg_rows& operator=(pg_rows&&) = delete;

  int size() const;
  bool empty() const { return size() == 0; }
  std::int64_t affected() const;  // rows changed by an UPDATE/DELETE/INSERT

  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;  // "" for NULL
  std::int64_t int64(int row, int column) const;
  bool boolean(int row, int column) const;
  time_point time(int row, int column) const;
  std::optional<time_point> optional_time(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;

 private:
  ::pg_result* result_;
};

// A parameter as text, or NULL.
using pg_param = std::optional<std::string>;

inline pg_param to_param(std::string_view v) { return std::string(v); }
inline pg_param to_param(const std::string& v) { return v; }
inline pg_param to_param(const char* v) { return std::string(v); }
inline pg_param to_param(bool v) { return std::string(v ? "true" : "false"); }
inline pg_param to_param(std::int64_t v) { return std::to_string(v); }
inline pg_param to_param(int v) { return std::to_string(v); }
inline pg_param to_param(time_point v) { return std::to_string(to_millis(v)); }
template <class T>
pg_param to_param(const std::optional<T>& v) {
  if (!v) return std::nullopt;
  return to_param(*v);
}

class pg_connection {
 public:
  // Connects; store_error when the server cannot be reached.
  explicit pg_connection(const std::string& url);
  ~pg_connection();
  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;

  // Runs `sql` (prepared once per connection) with the parameters $1..$n.
  // store_error on failure, naming `what`.
  template <class... Args>
  pg_rows query(std::string_view what, const std::string& sql, const Args&... args) {
    std::vector<pg_param> params{to_param(args)...};
    return run_prepared(what, sql, params);
  }
  pg_rows run_prepared(std::string_view what, const std::string& sql, const std::vector<pg_param>& params);
  // Runs one or more statements without parameters.
  void exec(std::string_view what, const std::string& sql);
  void rollback_quietly() noexcept;
  // The next notification received on a channel this connection LISTENs
  // to (reads what the socket has, without waiting).
  struct notification {
    std::string channel;
    std::string payload;
  };
  std::optional<notification> next_notification();

  bool healthy() const;
  // Healthy and outside any transaction: fit to go back to the pool.
  bool idle() const;
  // The SQLSTATE of the last failed statement ("" when none).
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  ::pg_conn* native() { return conn_; }

 private:
  [[noreturn]] void fail(std::string_view what, ::pg_result* r);

  ::pg_conn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
  std::string last_sqlstate_;
};

// SQLSTATEs for which running the whole transaction again is the answer.
bool pg_transient(std::string_view sqlstate);

class pg_pool {
 public:
  pg_pool(std::string url, std::size_t max_connections);

  class lease {
   public:
    lease(pg_pool& pool, std::unique_ptr<pg_connection> c) : pool_(&pool), conn_(std::move(c)) {}
    ~lease() {
      if (pool_ != nullptr) pool_->give_back(std::move(conn_));
    }
    lease(lease&& other) noexcept : pool_(other.pool_), conn_(std::move(other.conn_)) { other.pool_ = nullptr; }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    lease& operator=(lease&&) = delete;
    pg_connection& operator*() { return *conn_; }
    pg_connection* operator->() { return conn_.get(); }

   private:
    pg_pool* pool_;
    std::unique_ptr<pg_connection> conn_;
  };

  // A connection, opened when none is idle and fewer than the maximum are
  // out; otherwise waits up to pg_pool_timeout (store_error after that).
  lease borrow();

 private:
  void give_back(std::unique_ptr<pg_connection> c);

  std::string url_;
  std::size_t max_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<pg_connection>> idle_;
  std::size_t open_ = 0;
};

// The URL without its password, for messages.
std::string pg_redacted(std::string_view url);

}  // namespace slotlock
