#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <barrier>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/open_store.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store_test_support.hpp"

namespace slotlock::unit {
namespace {

namespace fs = std::filesystem;

// A plain sqlite3 handle, to look at the file the way another tool would.
struct raw_db {
  explicit raw_db(const fs::path& path) {
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open " + path.string());
  }
  ~raw_db() { sqlite3_close(db); }
  raw_db(const raw_db&) = delete;
  raw_db& operator=(const raw_db&) = delete;

  // Returns sqlite's result code; `error` receives its message.
  int exec(const std::string& sql, std::string* error = nullptr) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    if (error != nullptr) *error = message != nullptr ? message : "";
    sqlite3_free(message);
    return rc;
  }

  std::int64_t scalar(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db));
    std::int64_t value = -1;
    if (sqlite3_step(st) == SQLITE_ROW) value = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return value;
  }

  std::string text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db));
    std::string value;
    if (sqlite3_step(st) == SQLITE_ROW) value = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return value;
  }

  sqlite3* db = nullptr;
};

class SqliteStoreTest : public ::testing::Test, protected store_test_base {
 protected:
  void SetUp() override {
    path_ = temp_db_path();
    open();
  }

  void TearDown() override {
    store_.reset();
    remove_db_files(path_);
  }

  void open() { store_ = std::make_unique<sqlite_store>(path_.string()); }
  void reopen() {
    store_.reset();
    open();
  }

  fs::path path_;
};

// ---- opening ---------------------------------------------------------------

TEST(OpenStoreTest, SqliteUrlCreatesMissingParentDirectories) {
  const auto dir = fs::temp_directory_path() / ("slotlock-open-" + std::to_string(std::random_device{}()));
  const auto file = dir / "nested" / "slotlock.db";
  {
    auto s = open_store("sqlite:" + file.string());
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->create_user(make_user("u1", "one@example.com", "One")));
  }
  EXPECT_TRUE(fs::exists(file));
  {
    auto s = open_store(file.string());  // a bare path means the same file
    EXPECT_EQ(s->count_users(), 1);
  }
  fs::remove_all(dir);
}

TEST(OpenStoreTest, ASqliteFileServesOneProcessAtATime) {
  const auto path = temp_db_path();
  {
    auto first = open_store("sqlite:" + path.string());
    try {
      open_store("sqlite:" + path.string());
      ADD_FAILURE() << "a second owner was let in";
    } catch (const store_error& e) {
      const std::string why = e.what();
      EXPECT_NE(why.find("in use by another slotlock process (pid " + std::to_string(::getpid()) + ")"),
                std::string::npos)
          << why;
      EXPECT_NE(why.find("PostgreSQL"), std::string::npos) << why;
    }
    EXPECT_EQ(first->count_users(), 0) << "the first owner is unaffected";
  }
  EXPECT_NO_THROW(open_store("sqlite:" + path.string())) << "closing the store lets the next one in";
  remove_db_files(path);
}

// After-commit work of a batch runs once the batch is durable: a second connection sees it.
TEST_F(SqliteStoreTest, ABatchsAfterCommitWorkRunsOnceOthersCanSeeTheWrites) {
  ASSERT_TRUE(store_->create_user(make_user("u1", "one@example.com", "One")));
  sqlite_store other(path_.string());
  std::vector<std::int64_t> seen;
  std::vector<std::function<void()>> jobs;
  for (int i = 0; i < 3; ++i) {
    jobs.emplace_back([&, i] {
      store_->transact([&](store_tx& tx) {
        tx.append_audit({0, {}, "", audit_action::acquired, std::nullopt, std::nullopt, std::to_string(i)});
        tx.after_commit([&] { seen.push_back(static_cast<std::int64_t>(other.list_audit({}).size())); });
        return true;
      });
    });
  }
  store_->run_batch(jobs);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{3, 3, 3})) << "one commit for all three, before any after-commit work";
}

TEST(OpenStoreTest, APostgresServerThatCannotBeReachedIsAStoreError) {
  // Port 1 on the loopback: refused at once. The message names the server, not the password.
  try {
    open_store("postgres://slotlock:s3cret@127.0.0.1:1/slotlock?connect_timeout=2");
    ADD_FAILURE() << "opened a store on a closed port";
  } catch (const store_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  }
  EXPECT_THROW(open_store("postgresql://127.0.0.1:1/slotlock?connect_timeout=2"), store_error);
}

TEST(OpenStoreTest, RejectsWhatItCannotOpen) {
  EXPECT_THROW(open_store(""), std::invalid_argument);
  EXPECT_THROW(open_store("sqlite:"), std::invalid_argument);
  EXPECT_THROW(open_store("sqlite::memory:"), std::invalid_argument);
  EXPECT_THROW(open_store("mysql://localhost/db"), std::invalid_argument);
  EXPECT_THROW(open_store("redis:6379"), std::invalid_argument);
  EXPECT_THROW(open_store("sqlite:///tmp/x.db"), std::invalid_argument);
}

TEST(OpenStoreTest, AFileSqliteCannotOpenIsAStoreError) {
  // A directory where the database file should be.
  const auto dir = fs::temp_directory_path() / ("slotlock-open-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  EXPECT_THROW(open_store("sqlite:" + dir.string()), store_error);
  fs::remove_all(dir);
}

TEST(OpenStoreTest, AFileThatIsNotADatabaseIsAStoreError) {
  const auto path = temp_db_path();
  {
    std::ofstream out(path);
    out << "this is not an SQLite database, only some text long enough to fill a header page\n";
  }
  EXPECT_THROW(open_store("sqlite:" + path.string()), store_error);
  remove_db_files(path);
}

// ---- schema ----------------------------------------------------------------

TEST_F(SqliteStoreTest, FreshDatabaseRecordsEveryMigrationInWalMode) {
  raw_db raw(path_);
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<std::int64_t>(sqlite_migrations().size()));
  EXPECT_EQ(raw.scalar("SELECT MAX(version) FROM schema_migrations"), sqlite_migrations().back().version);
  EXPECT_GT(raw.scalar("SELECT MIN(applied_at) FROM schema_migrations"), 0);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteStoreTest, ReopeningAppliesNothingAgainAndKeepsData) {
  seed();
  std::int64_t applied_at = 0;
  {
    raw_db raw(path_);
    applied_at = raw.scalar("SELECT applied_at FROM schema_migrations WHERE version = 1");
  }
  reopen();
  reopen();

  raw_db raw(path_);
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<std::int64_t>(sqlite_migrations().size()));
  EXPECT_EQ(raw.scalar("SELECT applied_at FROM schema_migrations WHERE version = 1"), applied_at);
  EXPECT_EQ(store_->count_users(), 3);
  EXPECT_EQ(store_->count_appointments(), 1);
  ASSERT_TRUE(store_->find_user_by_email("bob@example.com"));

  sqlite_connection db(path_.string());
  EXPECT_EQ(apply_sqlite_migrations(db, t0), 0);
}

TEST_F(SqliteStoreTest, RefusesADatabaseFromANewerBuild) {
  store_.reset();
  {
    raw_db raw(path_);
    ASSERT_EQ(raw.exec("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)"), SQLITE_OK);
  }
  EXPECT_THROW(open(), store_error);
}

TEST_F(SqliteStoreTest, SigningInPrunesExpiredSessions) {
  ASSERT_TRUE(store_->create_user(alice_));
  store_->create_auth_session({"old", "u-alice", t0, t0 + std::chrono::hours(1)});
  store_->create_auth_session({"new", "u-alice", t0 + std::chrono::hours(2), t0 + std::chrono::hours(3)});
  raw_db raw(path_);
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM auth_sessions WHERE token_hash = 'old'"), 0);
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM auth_sessions WHERE token_hash = 'new'"), 1);
}

TEST_F(SqliteStoreTest, AuditRowsCannotBeUpdatedOrDeleted) {
  seed();
  store_->transact([&](store_tx& tx) {
    tx.append_audit({0, t0, "appt-1", audit_action::acquired, ref_of(alice_), std::nullopt, "user"});
    return true;
  });

  raw_db raw(path_);
  std::string error;
  EXPECT_NE(raw.exec("UPDATE audit SET reason = 'forged'", &error), SQLITE_OK);
  EXPECT_NE(error.find("append-only"), std::string::npos) << error;
  EXPECT_NE(raw.exec("DELETE FROM audit", &error), SQLITE_OK);
  EXPECT_NE(error.find("append-only"), std::string::npos) << error;

  const auto rows = store_->list_audit({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reason, "user");
}

}  // namespace
}  // namespace slotlock::unit
