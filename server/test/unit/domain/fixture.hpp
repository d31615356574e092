#pragma once
// Shared by the domain tests: a fresh SQLite file (or PostgreSQL schema) per
// test, a manual clock, an in-process event bus whose events are recorded, and
// helpers to seed users and appointments straight into the store.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "domain/appointment.hpp"
#include "domain/audit.hpp"
#include "domain/error.hpp"
#include "domain/events.hpp"
#include "domain/lock_service.hpp"
#include "domain/time.hpp"
#include "domain/user.hpp"
#include "store/open_store.hpp"
#include "store/pg_test_db.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace slotlock {

// Readable names in gtest's failure messages.
inline const char* errc_name(errc c) {
  switch (c) {
    case errc::bad_request: return "bad_request";
    case errc::validation_failed: return "validation_failed";
    case errc::unauthenticated: return "unauthenticated";
    case errc::invalid_credentials: return "invalid_credentials";
    case errc::forbidden: return "forbidden";
    case errc::not_found: return "not_found";
    case errc::route_not_found: return "route_not_found";
    case errc::method_not_allowed: return "method_not_allowed";
    case errc::payload_too_large: return "payload_too_large";
    case errc::conflict: return "conflict";
    case errc::version_conflict: return "version_conflict";
    case errc::lock_held: return "lock_held";
    case errc::lock_offered: return "lock_offered";
    case errc::lock_not_held: return "lock_not_held";
    case errc::not_holder: return "not_holder";
    case errc::not_lock_owner: return "not_lock_owner";
    case errc::not_locked: return "not_locked";
    case errc::queue_full: return "queue_full";
    case errc::not_connected: return "not_connected";
    case errc::bad_message: return "bad_message";
    case errc::frame_too_large: return "frame_too_large";
    case errc::room_full: return "room_full";
    case errc::too_many_sockets: return "too_many_sockets";
    case errc::session_ended: return "session_ended";
    case errc::rate_limited: return "rate_limited";
    case errc::store_unavailable: return "store_unavailable";
    case errc::busy: return "busy";
    case errc::internal: return "internal";
  }
  return "?";
}

inline void PrintTo(errc c, std::ostream* os) { *os << errc_name(c); }
inline void PrintTo(audit_action a, std::ostream* os) { *os << to_string(a); }
inline void PrintTo(role r, std::ostream* os) { *os << to_string(r); }
inline void PrintTo(lock_event_kind k, std::ostream* os) {
  constexpr const char* names[] = {"acquired",   "refreshed",     "released",          "expired",         "granted",
                                   "taken_over", "queue_changed", "control_requested", "control_declined"};
  *os << names[static_cast<int>(k)];
}
inline void PrintTo(acquire_outcome::kind k, std::ostream* os) {
  constexpr const char* names[] = {"acquired", "refreshed", "taken_over", "queued"};
  *os << names[static_cast<int>(k)];
}

namespace unit {

// 2027-01-15T08:00:00.000Z: a round, fixed start for every test's clock.
inline const time_point t0 = from_millis(1'800'000'000'000);

template <class T>
::testing::AssertionResult succeeded(const result<T>& r) {
  if (r.has_value()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "failed with " << errc_name(r.err().code) << ": " << r.err().message;
}

template <class T>
::testing::AssertionResult fails_with(const result<T>& r, errc expected) {
  if (r.has_value()) return ::testing::AssertionFailure() << "succeeded, expected " << errc_name(expected);
  if (r.err().code != expected)
    return ::testing::AssertionFailure() << "failed with " << errc_name(r.err().code) << " (" << r.err().message
                                         << "), expected " << errc_name(expected);
  return ::testing::AssertionSuccess();
}

// A fresh SQLite file name; the file and its WAL companions go at the end.
class temp_db_file {
 public:
  temp_db_file() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("slotlock-domain-test-" + std::to_string(rd()) + "-" + std::to_string(rd()) + ".db");
  }
  ~temp_db_file() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal", ".lock"})
      std::filesystem::remove(path_.string() + suffix, ec);
  }
  temp_db_file(const temp_db_file&) = delete;
  temp_db_file& operator=(const temp_db_file&) = delete;

  std::string url() const { return "sqlite:" + path_.string(); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// Every event published on a bus, in order. Thread-safe.
class event_recorder {
 public:
  explicit event_recorder(event_bus& bus) {
    bus.subscribe([this](const event& e) {
      std::lock_guard g(mutex_);
      events_.push_back(e);
    });
  }

  std::vector<lock_event> lock_events() const {
    std::lock_guard g(mutex_);
    std::vector<lock_event> out;
    for (const auto& e : events_)
      if (const auto* l = std::get_if<lock_event>(&e)) out.push_back(*l);
    return out;
  }
  std::vector<lock_event> lock_events(lock_event_kind kind) const {
    auto all = lock_events();
    std::erase_if(all, [&](const lock_event& e) { return e.kind != kind; });
    return all;
  }
  std::vector<appointment_updated> appointment_updates() const {
    std::lock_guard g(mutex_);
    std::vector<appointment_updated> out;
    for (const auto& e : events_)
      if (const auto* u = std::get_if<appointment_updated>(&e)) out.push_back(*u);
    return out;
  }
  // Every event of one kind (appointment_created, appointment_deleted, ...).
  template <class T>
  std::vector<T> all() const {
    std::lock_guard g(mutex_);
    std::vector<T> out;
    for (const auto& e : events_)
      if (const auto* x = std::get_if<T>(&e)) out.push_back(*x);
    return out;
  }
  std::vector<session_ended> sessions_ended() const {
    std::lock_guard g(mutex_);
    std::vector<session_ended> out;
    for (const auto& e : events_)
      if (const auto* s = std::get_if<session_ended>(&e)) out.push_back(*s);
    return out;
  }
  std::size_t size() const {
    std::lock_guard g(mutex_);
    return events_.size();
  }
  void clear() {
    std::lock_guard g(mutex_);
    events_.clear();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<event> events_;
};

enum class store_backend { sqlite, postgres };

inline std::string backend_name(const ::testing::TestParamInfo<store_backend>& info) {
  return info.param == store_backend::sqlite ? "sqlite" : "postgres";
}

// A store on a fresh file, a clock at t0 and a recorded bus. A test suite run
// against both stores derives from WithParamInterface<store_backend> too and
// passes GetParam() here.
class domain_test : public ::testing::Test {
 protected:
  domain_test() : domain_test(store_backend::sqlite) {}
  // PostgreSQL without $SLOTLOCK_TEST_PG: SQLite stands in while the fixture
  // is built, and SetUp skips the test.
  explicit domain_test(store_backend backend) {
    if (const auto base = test_pg_url(); backend == store_backend::postgres && base) pg_.emplace(*base);
    skip_ = backend == store_backend::postgres && !pg_;
    store_ = open_store(store_url());
  }

  void SetUp() override {
    if (skip_) GTEST_SKIP() << no_test_pg;
  }

  std::string store_url() const { return pg_ ? pg_->url() : db_.url(); }

  // A second store object on the same database, standing for a second process: the store's
  // conditional writes must keep two processes apart. (A second real process is refused a
  // SQLite file altogether: open_store takes the file for itself.)
  std::unique_ptr<store> open_second_store() const {
    if (pg_) return open_store(pg_->url());
    return std::make_unique<sqlite_store>(db_.path());
  }

  // Closes the store and opens the same database again, as a restart would.
  void reopen_store() {
    store_.reset();
    store_ = open_store(store_url());
  }

  // Seeds a user directly (no argon2 cost); the e-mail is name@example.com.
  user add_user(const std::string& name, role r = role::user) {
    user u;
    u.id = "u-" + name;
    u.email = name + "@example.com";
    u.name = name;
    u.role = r;
    u.password_hash = "not-a-real-hash";
    u.created_at = clock_.now();
    EXPECT_TRUE(store_->create_user(u)) << "could not seed user " << name;
    return u;
  }

  // Seeds an appointment at version 1 (and its free lock slot).
  std::string add_appointment(const std::string& id = "appt-1") {
    appointment a;
    a.id = id;
    a.fields.title = "Dentist";
    a.fields.client_name = "Pat Client";
    a.fields.client_email = "pat@example.com";
    a.fields.starts_at = t0 + std::chrono::hours(24);
    a.fields.ends_at = t0 + std::chrono::hours(25);
    a.fields.location = "Room 1";
    a.fields.notes = "";
    a.version = 1;
    a.updated_at = clock_.now();
    store_->create_appointment(a);
    return id;
  }

  // The audit trail of one appointment, oldest first.
  std::vector<audit_entry> audit_of(const std::string& appointment_id) {
    audit_filter f;
    f.appointment_id = appointment_id;
    f.limit = 500;
    auto rows = store_->list_audit(f);
    std::reverse(rows.begin(), rows.end());
    return rows;
  }

  // Declared first: the database outlives everything that uses it.
  temp_db_file db_;
  std::optional<pg_test_schema> pg_;
  bool skip_ = false;
  manual_clock clock_{t0};
  in_process_event_bus bus_;
  event_recorder events_{bus_};
  std::unique_ptr<store> store_;
};

}  // namespace unit
}  // namespace slotlock
