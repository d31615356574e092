#pragma once
// PostgreSQL for the unit tests: a fresh schema per test on the database
// named by $SLOTLOCK_TEST_PG (make test starts a throw-away cluster and sets
// it: server/test/with-postgres.sh). Without it, PostgreSQL tests skip.

#include <cstdlib>
#include <optional>
#include <random>
#include <string>

#include "store/postgres/pg_db.hpp"

namespace slotlock::unit {

inline std::optional<std::string> test_pg_url() {
  const char* url = std::getenv("SLOTLOCK_TEST_PG");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

inline constexpr const char* no_test_pg = "SLOTLOCK_TEST_PG is not set: no PostgreSQL to test against";

// A schema of its own, so that tests running at once (ctest -j) do not meet;
// the store finds its tables there through search_path. Dropped at the end.
class pg_test_schema {
 public:
  explicit pg_test_schema(std::string base) : base_(std::move(base)) {
    std::random_device rd;
    name_ = "t_" + std::to_string(rd()) + "_" + std::to_string(rd());
    pg_connection(base_).exec("create test schema", "CREATE SCHEMA " + name_);
  }
  ~pg_test_schema() {
    try {
      pg_connection(base_).exec("drop test schema", "DROP SCHEMA " + name_ + " CASCADE");
    } catch (...) {  // a leftover schema in a throw-away cluster harms nobody
    }
  }
  pg_test_schema(const pg_test_schema&) = delete;
  pg_test_schema& operator=(const pg_test_schema&) = delete;

  std::string url() const {
    return base_ + (base_.find('?') == std::string::npos ? "?" : "&") + "options=-c%20search_path%3D" + name_ +
           "&application_name=" + name_;
  }
  const std::string& name() const { return name_; }

 private:
  std::string base_;
  std::string name_;
};

}  // namespace slotlock::unit
