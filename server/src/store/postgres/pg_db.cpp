#include "store/postgres/pg_db.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <regex>

#include "domain/store.hpp"

namespace slotlock {

namespace {

std::string trimmed(const char* message) {
  std::string m = message != nullptr ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

}  // namespace

std::string pg_redacted(std::string_view url) {
  // postgres://user:secret@host → postgres://user:***@host; …?password=secret → …?password=***
  static const std::regex in_authority(R"(^(postgres(?:ql)?://[^:/@]*:)[^@]*@)");
  static const std::regex in_query(R"(([?&]password=)[^&]*)");
  return std::regex_replace(std::regex_replace(std::string(url), in_authority, "$1***@"), in_query, "$1***");
}

bool pg_transient(std::string_view sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";  // serialization failure, deadlock detected
}

// ---- rows ------------------------------------------------------------------

pg_rows::pg_rows(PGresult* r) : result_(r) {}
pg_rows::~pg_rows() {
  if (result_ != nullptr) PQclear(result_);
}
pg_rows::pg_rows(pg_rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }

int pg_rows::size() const { return PQntuples(result_); }

std::int64_t pg_rows::affected() const {
  const char* n = PQcmdTuples(result_);
  std::int64_t value = 0;
  if (n != nullptr) std::from_chars(n, n + std::char_traits<char>::length(n), value);
  return value;
}

bool pg_rows::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::string pg_rows::text(int row, int column) const {
  if (is_null(row, column)) return {};
  return {PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::int64_t pg_rows::int64(int row, int column) const {
  if (is_null(row, column)) return 0;
  const char* v = PQgetvalue(result_, row, column);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(v, v + PQgetlength(result_, row, column), value);
  if (ec != std::errc{}) throw store_error("postgres: column " + std::to_string(column) + " is not an integer");
  return value;
}

bool pg_rows::boolean(int row, int column) const {
  return !is_null(row, column) && PQgetvalue(result_, row, column)[0] == 't';
}

time_point pg_rows::time(int row, int column) const { return from_millis(int64(row, column)); }

std::optional<time_point> pg_rows::optional_time(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return time(row, column);
}

std::optional<std::string> pg_rows::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

// ---- connection ------------------------------------------------------------

pg_connection::pg_connection(const std::string& url) {
  // Bounds on every wait, before the URL so that the URL can change them:
  // connecting, a silent server (TCP keepalives), a statement, a lock, and a
  // transaction left open by a client that stalled.
  const char* keys[] = {
      "connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count", "options", "dbname", nullptr};
  const char* values[] = {
      "5",
      "30",
      "10",
      "3",
      "-c statement_timeout=30000 -c lock_timeout=10000 -c idle_in_transaction_session_timeout=30000",
      url.c_str(),
      nullptr};
  conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn_ == nullptr) throw store_error("postgres: out of memory connecting");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw store_error("postgres: cannot connect to " + pg_redacted(url) + ": " + message);
  }
  // Diagnostics of the server arrive as results; no notice should print to stderr.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

pg_connection::~pg_connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

bool pg_connection::healthy() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

bool pg_connection::idle() const { return healthy() && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

void pg_connection::fail(std::string_view what, PGresult* r) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = state != nullptr ? state : "";
  std::string message = trimmed(r != nullptr ? PQresultErrorMessage(r) : nullptr);
  if (message.empty()) message = trimmed(PQerrorMessage(conn_));
  if (r != nullptr) PQclear(r);
  throw store_error("postgres: " + std::string(what) + ": " + message);
}

pg_rows pg_connection::run_prepared(std::string_view what, const std::string& sql,
                                    const std::vector<pg_param>& params) {
  last_sqlstate_.clear();
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size() + 1);
    PGresult* r = PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr);
    if (r == nullptr || PQresultStatus(r) != PGRES_COMMAND_OK) fail(what, r);
    PQclear(r);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* r =
      PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0);
  const auto status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(what, r);
  return pg_rows(r);
}

void pg_connection::exec(std::string_view what, const std::string& sql) {
  last_sqlstate_.clear();
  PGresult* r = PQexec(conn_, sql.c_str());
  const auto status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(what, r);
  PQclear(r);
}

void pg_connection::rollback_quietly() noexcept {
  if (!healthy()) return;
  if (PGresult* r = PQexec(conn_, "ROLLBACK")) PQclear(r);
}

std::optional<pg_connection::notification> pg_connection::next_notification() {
  PQconsumeInput(conn_);
  PGnotify* n = PQnotifies(conn_);
  if (n == nullptr) return std::nullopt;
  notification out{n->relname != nullptr ? n->relname : "", n->extra != nullptr ? n->extra : ""};
  PQfreemem(n);
  return out;
}

// ---- pool ------------------------------------------------------------------

pg_pool::pg_pool(std::string url, std::size_t max_connections) : url_(std::move(url)), max_(max_connections) {
  idle_.reserve(max_);  // give_back() runs in a destructor: it must not allocate
}

pg_pool::lease pg_pool::borrow() {
  std::unique_lock lock(mutex_);
  if (!returned_.wait_for(lock, pg_pool_timeout, [&] { return !idle_.empty() || open_ < max_; }))
    throw store_error("postgres: no connection free after " + std::to_string(pg_pool_timeout.count()) + " ms");
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return lease(*this, std::move(c));
  }
  ++open_;
  lock.unlock();
  try {
    return lease(*this, std::make_unique<pg_connection>(url_));
  } catch (...) {
    lock.lock();
    --open_;
    returned_.notify_one();
    throw;
  }
}

void pg_pool::give_back(std::unique_ptr<pg_connection> c) {
  {
    std::lock_guard g(mutex_);
    // A broken connection, or one still inside a transaction, is dropped;
    // the next borrower opens a fresh one.
    if (c && c->idle()) {
      idle_.push_back(std::move(c));
    } else {
      --open_;
    }
  }
  returned_.notify_one();
  // `c`, when broken, closes here, outside the lock.
}

}  // namespace slotlock
