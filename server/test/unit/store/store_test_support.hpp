#pragma once
// Shared by the store tests: people, appointments and small lock helpers over
// any `store`, whichever database is underneath.

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

#include "domain/store.hpp"

namespace slotlock::unit {

inline const time_point t0 = from_millis(1'800'000'000'000);

inline std::filesystem::path temp_db_path() {
  std::random_device rd;
  return std::filesystem::temp_directory_path() /
         ("slotlock-store-test-" + std::to_string(rd()) + std::to_string(rd()) + ".db");
}

inline void remove_db_files(const std::filesystem::path& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", ".lock"}) std::filesystem::remove(path.string() + suffix, ec);
}

inline user make_user(std::string id, std::string email, std::string name, role r = role::user) {
  user u;
  u.id = std::move(id);
  u.email = std::move(email);
  u.name = std::move(name);
  u.role = r;
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$not-a-real-hash";
  u.created_at = t0;
  return u;
}

inline appointment make_appointment(std::string id, time_point starts_at, const user_ref& by) {
  appointment a;
  a.id = std::move(id);
  a.fields.title = "Consultation " + a.id;
  a.fields.client_name = "Dana Client";
  a.fields.client_email = "dana@example.org";
  a.fields.starts_at = starts_at;
  a.fields.ends_at = starts_at + std::chrono::minutes(30);
  a.fields.location = "Room 2";
  a.fields.notes = "bring the forms";
  a.fields.status = appointment_status::confirmed;
  a.version = 1;
  a.updated_at = t0;
  a.updated_by = by;
  return a;
}

// `store_` is opened by the derived fixture; the helpers work on it.
class store_test_base {
 protected:
  // Two users and an admin, and one appointment: the usual cast of a lock test.
  void seed() {
    ASSERT_TRUE(store_->create_user(alice_));
    ASSERT_TRUE(store_->create_user(bob_));
    ASSERT_TRUE(store_->create_user(carol_));
    store_->create_appointment(make_appointment("appt-1", t0 + std::chrono::hours(24), ref_of(alice_)));
  }

  std::optional<lock_record> grant(const user& who, std::string_view session, time_point now,
                                   std::optional<std::int64_t> revision = std::nullopt,
                                   std::string_view appointment_id = "appt-1") {
    std::optional<lock_record> granted;
    store_->transact([&](store_tx& tx) {
      if (!revision) {
        const auto slot = tx.read_lock(appointment_id);
        if (!slot) return false;
        revision = slot->revision;
      }
      granted = tx.grant_lock(appointment_id, *revision, ref_of(who), session, now, now + std::chrono::minutes(5));
      return granted.has_value();
    });
    return granted;
  }

  std::optional<lock_record> touch(std::int64_t token, time_point now, std::string_view appointment_id = "appt-1") {
    std::optional<lock_record> touched;
    store_->transact([&](store_tx& tx) {
      touched = tx.touch_lock(appointment_id, token, now, now + std::chrono::minutes(5));
      return touched.has_value();
    });
    return touched;
  }

  bool clear(std::int64_t revision, std::string_view appointment_id = "appt-1") {
    bool cleared = false;
    store_->transact([&](store_tx& tx) {
      cleared = tx.clear_lock(appointment_id, revision);
      return cleared;
    });
    return cleared;
  }

  std::unique_ptr<store> store_;
  user alice_ = make_user("u-alice", "alice@example.com", "Alice Archer");
  user bob_ = make_user("u-bob", "bob@example.com", "Bob Baker");
  user carol_ = make_user("u-carol", "carol@example.com", "Carol Cole", role::admin);
};

}  // namespace slotlock::unit
