// What only the PostgreSQL store has: its migrations under an advisory lock,
// its triggers, its connection pool. The contract it shares with SQLite is
// in store_conformance_test.cpp.
#include "store/postgres/pg_store.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pg_test_db.hpp"
#include "store/postgres/pg_migrations.hpp"
#include "store_test_support.hpp"

namespace slotlock::unit {
namespace {

class PgStoreTest : public ::testing::Test, protected store_test_base {
 protected:
  void SetUp() override {
    const auto base = test_pg_url();
    if (!base) GTEST_SKIP() << no_test_pg;
    schema_.emplace(*base);
    raw_.emplace(schema_->url());
  }
  void TearDown() override {
    store_.reset();
    raw_.reset();
    schema_.reset();
  }

  void open() { store_ = std::make_unique<pg_store>(schema_->url()); }
  std::int64_t scalar(const std::string& sql) { return raw_->query("scalar", sql).int64(0, 0); }

  std::optional<pg_test_schema> schema_;
  std::optional<pg_connection> raw_;  // another tool's view of the database
};

TEST_F(PgStoreTest, FreshDatabaseRecordsEveryMigrationAndReopeningAppliesNothing) {
  open();
  seed();
  const auto migrations = static_cast<std::int64_t>(pg_migrations().size());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM schema_migrations"), migrations);
  const auto applied_at = scalar("SELECT applied_at FROM schema_migrations WHERE version = 1");
  EXPECT_GT(applied_at, 0);

  store_.reset();
  open();
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM schema_migrations"), migrations);
  EXPECT_EQ(scalar("SELECT applied_at FROM schema_migrations WHERE version = 1"), applied_at);
  EXPECT_EQ(store_->count_users(), 3);
  EXPECT_EQ(apply_pg_migrations(*raw_, t0), 0);
}

TEST_F(PgStoreTest, ProcessesStartingTogetherApplyEachMigrationOnce) {
  constexpr int starters = 4;
  std::barrier go(starters);
  std::vector<std::unique_ptr<store>> stores(starters);
  std::vector<std::string> failures(starters);
  std::vector<std::thread> threads;
  for (int i = 0; i < starters; ++i) {
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      try {
        stores[i] = std::make_unique<pg_store>(schema_->url());
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& f : failures) EXPECT_EQ(f, "");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM schema_migrations"), static_cast<std::int64_t>(pg_migrations().size()));
}

TEST_F(PgStoreTest, RefusesADatabaseFromANewerBuild) {
  open();
  store_.reset();
  raw_->exec("newer", "INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)");
  EXPECT_THROW(open(), store_error);
}

TEST_F(PgStoreTest, SigningInPrunesExpiredSessions) {
  open();
  ASSERT_TRUE(store_->create_user(alice_));
  store_->create_auth_session({"old", "u-alice", t0, t0 + std::chrono::hours(1)});
  store_->create_auth_session({"new", "u-alice", t0 + std::chrono::hours(2), t0 + std::chrono::hours(3)});
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM auth_sessions WHERE token_hash = 'old'"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM auth_sessions WHERE token_hash = 'new'"), 1);
}

TEST_F(PgStoreTest, AuditRowsCannotBeUpdatedDeletedOrTruncated) {
  open();
  seed();
  store_->transact([&](store_tx& tx) {
    tx.append_audit({0, t0, "appt-1", audit_action::acquired, ref_of(alice_), std::nullopt, "user"});
    return true;
  });
  for (const char* sql : {"UPDATE audit SET reason = 'forged'", "DELETE FROM audit", "TRUNCATE audit"}) {
    try {
      raw_->exec("tamper", sql);
      ADD_FAILURE() << sql << " succeeded";
    } catch (const store_error& e) {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
  }
  const auto rows = store_->list_audit({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reason, "user");
}

TEST_F(PgStoreTest, ALostConnectionIsAStoreErrorAndThePoolRecovers) {
  open();
  seed();
  // Every connection of the store is cut, as a database restart would.
  raw_->exec("terminate",
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
             " WHERE pid <> pg_backend_pid() AND application_name = '" +
                 schema_->name() + "'");
  int failures = 0;
  for (int i = 0; i < 3; ++i) {
    try {
      store_->find_appointment("appt-1");
    } catch (const store_error&) {
      ++failures;
    }
  }
  EXPECT_LE(failures, 1);  // the broken connection fails once and is dropped
  EXPECT_TRUE(store_->find_appointment("appt-1"));
}

TEST_F(PgStoreTest, ATransactionAfterTheServerDroppedIdleConnectionsStillSucceeds) {
  open();
  seed();
  raw_->exec("terminate",
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
             " WHERE pid <> pg_backend_pid() AND application_name = '" +
                 schema_->name() + "'");
  // Nothing ran on the dead connection, so the write goes through on a fresh one.
  bool wrote = false;
  EXPECT_NO_THROW(store_->transact([&](store_tx& tx) {
    wrote = tx.find_appointment("appt-1").has_value();
    return true;
  }));
  EXPECT_TRUE(wrote);
}

TEST_F(PgStoreTest, EveryConnectionHasBoundedWaitsThatTheUrlMayChange) {
  pg_connection plain(*test_pg_url());
  EXPECT_EQ(plain.query("show", "SHOW statement_timeout").text(0, 0), "30s");
  EXPECT_EQ(plain.query("show", "SHOW lock_timeout").text(0, 0), "10s");
  EXPECT_EQ(plain.query("show", "SHOW idle_in_transaction_session_timeout").text(0, 0), "30s");
  const auto base = *test_pg_url();
  pg_connection tuned(base + (base.find('?') == std::string::npos ? "?" : "&") +
                      "options=-c%20statement_timeout%3D5000");
  EXPECT_EQ(tuned.query("show", "SHOW statement_timeout").text(0, 0), "5s");
}

TEST(PgRedactedTest, HidesThePasswordWhereverTheUrlCarriesIt) {
  EXPECT_EQ(pg_redacted("postgres://app:s3cret@db:5432/slotlock"), "postgres://app:***@db:5432/slotlock");
  EXPECT_EQ(pg_redacted("postgresql://app@db/slotlock?sslmode=require&password=s3cret&x=1"),
            "postgresql://app@db/slotlock?sslmode=require&password=***&x=1");
  EXPECT_EQ(pg_redacted("postgres://db/slotlock?password=s3cret"), "postgres://db/slotlock?password=***");
  EXPECT_EQ(pg_redacted("postgres://app@db/slotlock"), "postgres://app@db/slotlock");
}

TEST_F(PgStoreTest, NotifyIsSentOnCommitOnly) {
  open();
  seed();
  raw_->exec("listen", "LISTEN pg_store_test");
  store_->transact([&](store_tx& tx) {
    tx.notify("pg_store_test", "rolled back");
    return false;
  });
  store_->transact([&](store_tx& tx) {
    tx.notify("pg_store_test", "committed");
    return true;
  });
  // The notification arrives with the next round trip of the listener.
  raw_->exec("poll", "SELECT 1");
  std::vector<std::string> payloads;
  while (auto n = raw_->next_notification()) payloads.push_back(n->payload);
  EXPECT_EQ(payloads, std::vector<std::string>{"committed"});
}

}  // namespace
}  // namespace slotlock::unit
