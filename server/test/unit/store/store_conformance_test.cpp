// The store contract (store/store.hpp), run against every implementation:
// SQLite always, PostgreSQL when $SLOTLOCK_TEST_PG names a database (make test
// sets it; without it those cases skip). Tests of one implementation's own
// machinery (files, schema, raw SQL) stay in sqlite_store_test.cpp and
// pg_store_test.cpp.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pg_test_db.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace slotlock::unit {
namespace {

enum class backend { sqlite, postgres };

std::string backend_name(const ::testing::TestParamInfo<backend>& info) {
  return info.param == backend::sqlite ? "sqlite" : "postgres";
}

class StoreConformanceTest : public ::testing::TestWithParam<backend>, protected store_test_base {
 protected:
  void SetUp() override {
    if (GetParam() == backend::postgres) {
      const auto base = test_pg_url();
      if (!base) GTEST_SKIP() << no_test_pg;
      schema_.emplace(*base);
    } else {
      path_ = temp_db_path();
    }
    store_ = open();
  }

  void TearDown() override {
    store_.reset();
    if (!path_.empty()) remove_db_files(path_);
    schema_.reset();
  }

  // Another store on the same database: a restart, or a second process.
  std::unique_ptr<store> open(std::size_t max_connections = 8) {
    if (schema_) return std::make_unique<pg_store>(schema_->url(), max_connections);
    return std::make_unique<sqlite_store>(path_.string(), max_connections);
  }
  void reopen() {
    store_.reset();
    store_ = open();
  }

  std::filesystem::path path_;
  std::optional<pg_test_schema> schema_;
};

INSTANTIATE_TEST_SUITE_P(stores, StoreConformanceTest, ::testing::Values(backend::sqlite, backend::postgres),
                         backend_name);

// ---- users and sessions ----------------------------------------------------

TEST_P(StoreConformanceTest, CreatesAndFindsUsers) {
  ASSERT_TRUE(store_->create_user(carol_));
  const auto found = store_->find_user("u-carol");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->email, "carol@example.com");
  EXPECT_EQ(found->name, "Carol Cole");
  EXPECT_EQ(found->role, role::admin);
  EXPECT_FALSE(found->disabled);
  EXPECT_EQ(found->password_hash, carol_.password_hash);
  EXPECT_EQ(found->created_at, t0);

  const auto by_email = store_->find_user_by_email("CaRoL@Example.COM");
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, "u-carol");

  EXPECT_FALSE(store_->find_user("nobody"));
  EXPECT_FALSE(store_->find_user_by_email("nobody@example.com"));
}

TEST_P(StoreConformanceTest, DuplicateEmailIsRefusedWhateverItsCase) {
  ASSERT_TRUE(store_->create_user(alice_));
  EXPECT_FALSE(store_->create_user(make_user("u-other", "ALICE@example.com", "Another Alice")));
  EXPECT_EQ(store_->count_users(), 1);
  EXPECT_EQ(store_->find_user_by_email("alice@example.com")->id, "u-alice");
}

TEST_P(StoreConformanceTest, EmailsMatchIgnoringAsciiCaseAndKeepOtherLettersAsWritten) {
  // The application lower-cases ASCII only; both stores compare the same way,
  // whatever the database's locale would do to other letters.
  ASSERT_TRUE(store_->create_user(make_user("u-jose", "josÉ@example.com", "José")));
  ASSERT_TRUE(store_->find_user_by_email("JOSÉ@EXAMPLE.COM"));
  EXPECT_EQ(store_->find_user_by_email("josÉ@example.com")->id, "u-jose");
  EXPECT_FALSE(store_->find_user_by_email("josé@example.com"));
}

TEST_P(StoreConformanceTest, DuplicateIdIsAnErrorNotAnOutcome) {
  ASSERT_TRUE(store_->create_user(alice_));
  EXPECT_THROW(store_->create_user(make_user("u-alice", "other@example.com", "Other")), store_error);
}

TEST_P(StoreConformanceTest, SavesUsersById) {
  ASSERT_TRUE(store_->create_user(alice_));
  user changed = alice_;
  changed.email = "alice.archer@example.com";
  changed.name = "Alice A. Archer";
  changed.role = role::admin;
  changed.disabled = true;
  changed.password_hash = "new-hash";
  EXPECT_TRUE(store_->save_user(changed));

  const auto found = store_->find_user("u-alice");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->email, "alice.archer@example.com");
  EXPECT_EQ(found->name, "Alice A. Archer");
  EXPECT_EQ(found->role, role::admin);
  EXPECT_TRUE(found->disabled);
  EXPECT_EQ(found->password_hash, "new-hash");
  EXPECT_FALSE(store_->find_user_by_email("alice@example.com"));

  EXPECT_FALSE(store_->save_user(make_user("u-ghost", "ghost@example.com", "Ghost")));
}

TEST_P(StoreConformanceTest, ListsUsersByEmail) {
  ASSERT_TRUE(store_->create_user(carol_));
  ASSERT_TRUE(store_->create_user(make_user("u-zed", "Zed@example.com", "Zed")));
  ASSERT_TRUE(store_->create_user(alice_));
  ASSERT_TRUE(store_->create_user(bob_));
  const auto users = store_->list_users();
  ASSERT_EQ(users.size(), 4u);
  EXPECT_EQ(users[0].id, "u-alice");
  EXPECT_EQ(users[1].id, "u-bob");
  EXPECT_EQ(users[2].id, "u-carol");
  EXPECT_EQ(users[3].id, "u-zed");
  EXPECT_EQ(store_->count_users(), 4);
}

TEST_P(StoreConformanceTest, SessionsLastUntilTheyExpire) {
  ASSERT_TRUE(store_->create_user(alice_));
  store_->create_auth_session({"hash-1", "u-alice", t0, t0 + std::chrono::hours(1)});

  const auto before = store_->find_session_user("hash-1", t0 + std::chrono::minutes(59));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->who.id, "u-alice");
  EXPECT_EQ(before->expires_at, t0 + std::chrono::hours(1));
  EXPECT_FALSE(store_->find_session_user("hash-1", t0 + std::chrono::hours(1)));
  EXPECT_FALSE(store_->find_session_user("hash-unknown", t0));
}

TEST_P(StoreConformanceTest, SessionsOfDisabledUsersStillResolve) {
  ASSERT_TRUE(store_->create_user(alice_));
  store_->create_auth_session({"hash-1", "u-alice", t0, t0 + std::chrono::hours(1)});
  user disabled = alice_;
  disabled.disabled = true;
  ASSERT_TRUE(store_->save_user(disabled));
  const auto found = store_->find_session_user("hash-1", t0);
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->who.disabled);
}

TEST_P(StoreConformanceTest, DeletesSessions) {
  ASSERT_TRUE(store_->create_user(alice_));
  ASSERT_TRUE(store_->create_user(bob_));
  const auto until = t0 + std::chrono::hours(1);
  store_->create_auth_session({"a-1", "u-alice", t0, until});
  store_->create_auth_session({"a-2", "u-alice", t0, until});
  store_->create_auth_session({"b-1", "u-bob", t0, until});

  store_->delete_auth_session("a-1");
  EXPECT_FALSE(store_->find_session_user("a-1", t0));
  EXPECT_TRUE(store_->find_session_user("a-2", t0));

  store_->delete_auth_sessions_of("u-alice");
  EXPECT_FALSE(store_->find_session_user("a-2", t0));
  EXPECT_TRUE(store_->find_session_user("b-1", t0));
}

TEST_P(StoreConformanceTest, SessionOfAnUnknownUserIsAnError) {
  EXPECT_THROW(store_->create_auth_session({"h", "u-ghost", t0, t0 + std::chrono::hours(1)}), store_error);
}

// ---- appointments ----------------------------------------------------------

TEST_P(StoreConformanceTest, CreatesAppointmentsWithAFreeLockSlot) {
  seed();
  const auto found = store_->find_appointment("appt-1");
  ASSERT_TRUE(found);
  const auto expected = make_appointment("appt-1", t0 + std::chrono::hours(24), ref_of(alice_));
  EXPECT_EQ(found->fields.title, expected.fields.title);
  EXPECT_EQ(found->fields.client_name, expected.fields.client_name);
  EXPECT_EQ(found->fields.client_email, expected.fields.client_email);
  EXPECT_EQ(found->fields.starts_at, expected.fields.starts_at);
  EXPECT_EQ(found->fields.ends_at, expected.fields.ends_at);
  EXPECT_EQ(found->fields.location, expected.fields.location);
  EXPECT_EQ(found->fields.notes, expected.fields.notes);
  EXPECT_EQ(found->fields.status, appointment_status::confirmed);
  EXPECT_EQ(found->version, 1);
  EXPECT_EQ(found->updated_at, t0);
  EXPECT_EQ(found->updated_by.id, "u-alice");
  EXPECT_EQ(found->updated_by.name, "Alice Archer");
  EXPECT_EQ(found->updated_by.email, "alice@example.com");

  const auto slot = store_->read_lock("appt-1");
  ASSERT_TRUE(slot);
  EXPECT_EQ(slot->appointment_id, "appt-1");
  EXPECT_EQ(slot->revision, 0);
  EXPECT_EQ(slot->fencing_token, 0);
  EXPECT_FALSE(slot->lock);

  EXPECT_FALSE(store_->find_appointment("appt-unknown"));
  EXPECT_FALSE(store_->read_lock("appt-unknown"));
}

TEST_P(StoreConformanceTest, AppointmentWithoutAnEditorReadsBackEmpty) {
  store_->create_appointment(make_appointment("seeded", t0, user_ref{}));
  const auto found = store_->find_appointment("seeded");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->updated_by.id, "");
  EXPECT_EQ(found->updated_by.name, "");
}

TEST_P(StoreConformanceTest, DuplicateAppointmentIdThrowsAndLeavesNoHalfRow) {
  seed();
  EXPECT_THROW(store_->create_appointment(make_appointment("appt-1", t0, ref_of(bob_))), store_error);
  EXPECT_EQ(store_->count_appointments(), 1);
  EXPECT_EQ(store_->find_appointment("appt-1")->updated_by.id, "u-alice");
}

TEST_P(StoreConformanceTest, ListsAppointmentsByStartThenId) {
  ASSERT_TRUE(store_->create_user(alice_));
  const auto by = ref_of(alice_);
  store_->create_appointment(make_appointment("c", t0 + std::chrono::hours(2), by));
  store_->create_appointment(make_appointment("b", t0 + std::chrono::hours(1), by));
  store_->create_appointment(make_appointment("a", t0 + std::chrono::hours(2), by));
  store_->create_appointment(make_appointment("d", t0, by));
  const auto list = store_->list_appointments({.from = t0 - std::chrono::hours(1)});
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].id, "d");
  EXPECT_EQ(list[1].id, "b");
  EXPECT_EQ(list[2].id, "a");
  EXPECT_EQ(list[3].id, "c");
  EXPECT_EQ(store_->count_appointments(), 4);
}

// ---- finding appointments, history, tombstones ------------------------------

namespace {

std::vector<std::string> ids_of(const std::vector<appointment>& list) {
  std::vector<std::string> ids;
  for (const auto& a : list) ids.push_back(a.id);
  return ids;
}

}  // namespace

TEST_P(StoreConformanceTest, ListsAPageFromAPositionWithinBoundsAndStatuses) {
  ASSERT_TRUE(store_->create_user(alice_));
  const auto by = ref_of(alice_);
  for (int i = 0; i < 6; ++i) {
    auto a = make_appointment("a" + std::to_string(i), t0 + std::chrono::hours(i), by);
    if (i % 2) a.fields.status = appointment_status::cancelled;
    store_->create_appointment(a);
  }
  using std::chrono::hours;
  EXPECT_EQ(ids_of(store_->list_appointments({.from = t0 + hours(1), .to = t0 + hours(4)})),
            (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_EQ(ids_of(store_->list_appointments({.from = t0, .limit = 2})), (std::vector<std::string>{"a0", "a1"}));
  EXPECT_EQ(ids_of(store_->list_appointments({.from = t0, .after = list_position{t0 + hours(1), "a1"}, .limit = 2})),
            (std::vector<std::string>{"a2", "a3"}));
  EXPECT_EQ(ids_of(store_->list_appointments({.from = t0, .statuses = {appointment_status::cancelled}})),
            (std::vector<std::string>{"a1", "a3", "a5"}));
  EXPECT_EQ(ids_of(store_->list_appointments(
                {.from = t0, .statuses = {appointment_status::confirmed, appointment_status::cancelled}, .limit = 3})),
            (std::vector<std::string>{"a0", "a1", "a2"}));
}

TEST_P(StoreConformanceTest, SearchMatchesAnySearchableFieldWhateverTheCase) {
  ASSERT_TRUE(store_->create_user(alice_));
  const auto by = ref_of(alice_);
  auto title = make_appointment("title", t0, by);
  title.fields.title = "Root Canal";
  auto client = make_appointment("client", t0 + std::chrono::hours(1), by);
  client.fields.client_name = "Maya PATEL";
  auto email = make_appointment("email", t0 + std::chrono::hours(2), by);
  email.fields.client_email = "canal.fan@example.org";
  auto place = make_appointment("place", t0 + std::chrono::hours(3), by);
  place.fields.location = "Canal Street clinic";
  auto notes = make_appointment("notes", t0 + std::chrono::hours(4), by);
  notes.fields.notes = "Asked about a CANAL treatment";
  auto none = make_appointment("none", t0 + std::chrono::hours(5), by);
  for (const auto& a : {title, client, email, place, notes, none}) store_->create_appointment(a);
  EXPECT_EQ(ids_of(store_->list_appointments({.from = t0, .text = "canal"})),
            (std::vector<std::string>{"title", "email", "place", "notes"}));
  EXPECT_EQ(ids_of(store_->list_appointments({.from = t0, .text = "patel"})), (std::vector<std::string>{"client"}));
  // A search is text, not a pattern.
  EXPECT_TRUE(store_->list_appointments({.from = t0, .text = "%"}).empty());
  EXPECT_TRUE(store_->list_appointments({.from = t0, .text = "_"}).empty());
}

TEST_P(StoreConformanceTest, ConflictsAreOverlapsInTheSamePlaceButNotCancelledOrDeletedOnes) {
  ASSERT_TRUE(store_->create_user(alice_));
  const auto by = ref_of(alice_);
  using std::chrono::minutes;
  const auto at = [&](std::string id, int start, int length, std::string place) {
    auto a = make_appointment(std::move(id), t0 + minutes(start), by);
    a.fields.ends_at = a.fields.starts_at + minutes(length);
    a.fields.location = std::move(place);
    return a;
  };
  store_->create_appointment(at("overlaps-start", -20, 30, "room 2"));  // 23:40–00:10 of t0
  store_->create_appointment(at("inside", 10, 5, " ROOM 2 "));
  store_->create_appointment(at("touches", 30, 30, "Room 2"));  // starts as ours ends
  store_->create_appointment(at("other-room", 0, 30, "Room 3"));
  store_->create_appointment(at("long-before", -24 * 60, 23 * 60, "Room 2"));  // ends an hour before
  store_->create_appointment(at("all-day", -23 * 60, 24 * 60, "Room 2"));      // still running
  auto cancelled = at("cancelled", 0, 30, "Room 2");
  cancelled.fields.status = appointment_status::cancelled;
  store_->create_appointment(cancelled);
  store_->create_appointment(at("deleted", 0, 30, "Room 2"));
  store_->transact([&](store_tx& tx) { return tx.delete_appointment("deleted", t0, by); });

  const conflict_query q{.location = "Room 2", .starts_at = t0, .ends_at = t0 + minutes(30), .exclude_id = "me"};
  EXPECT_EQ(ids_of(store_->find_conflicts(q)), (std::vector<std::string>{"all-day", "overlaps-start", "inside"}));
  auto excluding = q;
  excluding.exclude_id = "inside";
  EXPECT_EQ(ids_of(store_->find_conflicts(excluding)), (std::vector<std::string>{"all-day", "overlaps-start"}));
}

TEST_P(StoreConformanceTest, HistoryKeepsEveryVersionNewestFirstWithItsChangesInOrder) {
  ASSERT_TRUE(store_->create_user(alice_));
  ASSERT_TRUE(store_->create_user(bob_));
  store_->create_appointment(make_appointment("appt-1", t0, ref_of(alice_)));
  store_->transact([&](store_tx& tx) {
    tx.append_history({"appt-1",
                       2,
                       t0 + std::chrono::minutes(1),
                       ref_of(bob_),
                       {{"title", "Consultation appt-1", "Check-up"}, {"notes", "bring the forms", ""}}});
    tx.append_history({"appt-1", 3, t0 + std::chrono::minutes(2), ref_of(alice_), {}});
    return true;
  });
  const auto h = store_->history("appt-1");
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].version, 3);
  EXPECT_TRUE(h[0].changes.empty());  // a save that changed nothing is still a version
  EXPECT_EQ(h[1].version, 2);
  EXPECT_EQ(h[1].by.name, "Bob Baker");
  EXPECT_EQ(h[1].at, t0 + std::chrono::minutes(1));
  ASSERT_EQ(h[1].changes.size(), 2u);
  EXPECT_EQ(h[1].changes[0].field, "title");
  EXPECT_EQ(h[1].changes[0].from, "Consultation appt-1");
  EXPECT_EQ(h[1].changes[0].to, "Check-up");
  EXPECT_EQ(h[1].changes[1].to, "");
  EXPECT_EQ(h[2].version, 1);
  ASSERT_EQ(h[2].changes.size(), 8u);  // creation: every field, from nothing
  EXPECT_EQ(h[2].changes[0].field, "title");
  EXPECT_FALSE(h[2].changes[0].from);
  EXPECT_EQ(h[2].changes[7].to, "confirmed");
  EXPECT_TRUE(store_->history("unknown").empty());
}

TEST_P(StoreConformanceTest, ADeletedAppointmentIsATombstoneWithoutLockLineOrOffer) {
  seed();
  ASSERT_TRUE(grant(alice_, "tab-a", t0));
  store_->transact([&](store_tx& tx) {
    tx.enqueue({"appt-1", ref_of(bob_), role::user, "tab-b", t0});
    return true;
  });
  bool deleted = false;
  store_->transact([&](store_tx& tx) { return deleted = tx.delete_appointment("appt-1", t0, ref_of(alice_)); });
  EXPECT_TRUE(deleted);
  const auto tomb = store_->find_appointment("appt-1");
  ASSERT_TRUE(tomb);
  EXPECT_EQ(tomb->deleted_at, t0);
  EXPECT_FALSE(store_->read_lock("appt-1"));
  EXPECT_TRUE(store_->queue("appt-1").empty());
  EXPECT_TRUE(store_->held_locks().empty());
  EXPECT_TRUE(store_->list_appointments({.from = t0 - std::chrono::hours(48)}).empty());
  EXPECT_FALSE(store_->history("appt-1").empty());  // kept for whoever asks
  store_->transact([&](store_tx& tx) {
    EXPECT_FALSE(tx.delete_appointment("appt-1", t0, ref_of(alice_)));
    auto next = *tomb;
    next.version = 2;
    EXPECT_FALSE(tx.update_appointment(next, 1));
    return false;
  });
}

TEST_P(StoreConformanceTest, OffersAreOnePerAppointmentDueAtTheirDeadlineAndFoundByTab) {
  seed();
  store_->create_appointment(make_appointment("appt-2", t0, ref_of(alice_)));
  const lock_offer first{"appt-1", ref_of(bob_), role::user, "tab-b", t0, t0 + std::chrono::seconds(60)};
  store_->transact([&](store_tx& tx) {
    tx.put_offer(first);
    tx.enqueue({"appt-2", ref_of(bob_), role::user, "tab-b", t0});
    return true;
  });
  EXPECT_EQ(store_->next_expiry(), t0 + std::chrono::seconds(60));
  const auto read = store_->offer("appt-1");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->who.name, "Bob Baker");
  EXPECT_EQ(read->session_id, "tab-b");
  EXPECT_EQ(read->deadline, t0 + std::chrono::seconds(60));
  auto lines = store_->lines_of("u-bob", "tab-b");
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<std::string>{"appt-1", "appt-2"}));
  EXPECT_TRUE(store_->lines_of("u-bob", "tab-other").empty());

  store_->transact([&](store_tx& tx) {
    EXPECT_TRUE(tx.due_offers(t0 + std::chrono::seconds(59)).empty());
    EXPECT_EQ(tx.due_offers(t0 + std::chrono::seconds(60)).size(), 1u);
    auto moved = first;
    moved.who = ref_of(carol_);
    moved.session_id = "tab-c";
    tx.put_offer(moved);  // replaces
    return true;
  });
  ASSERT_EQ(store_->open_offers().size(), 1u);
  EXPECT_EQ(store_->open_offers()[0].who.id, "u-carol");
  store_->transact([&](store_tx& tx) {
    EXPECT_TRUE(tx.clear_offer("appt-1"));
    EXPECT_FALSE(tx.clear_offer("appt-1"));
    return true;
  });
  EXPECT_FALSE(store_->offer("appt-1"));
}

TEST_P(StoreConformanceTest, UpdatesAppointmentOnlyAtTheExpectedVersion) {
  seed();
  auto next = *store_->find_appointment("appt-1");
  next.fields.title = "Follow-up";
  next.fields.status = appointment_status::cancelled;
  next.version = 2;
  next.updated_at = t0 + std::chrono::minutes(1);
  next.updated_by = ref_of(bob_);

  bool updated = false;
  store_->transact([&](store_tx& tx) {
    updated = tx.update_appointment(next, 1);
    return updated;
  });
  EXPECT_TRUE(updated);
  auto found = *store_->find_appointment("appt-1");
  EXPECT_EQ(found.fields.title, "Follow-up");
  EXPECT_EQ(found.fields.status, appointment_status::cancelled);
  EXPECT_EQ(found.version, 2);
  EXPECT_EQ(found.updated_at, t0 + std::chrono::minutes(1));
  EXPECT_EQ(found.updated_by.id, "u-bob");
  EXPECT_EQ(found.updated_by.name, "Bob Baker");

  // A writer who read version 1 lost the race.
  auto stale = next;
  stale.fields.title = "Stale edit";
  store_->transact([&](store_tx& tx) {
    updated = tx.update_appointment(stale, 1);
    return updated;
  });
  EXPECT_FALSE(updated);
  found = *store_->find_appointment("appt-1");
  EXPECT_EQ(found.fields.title, "Follow-up");
  EXPECT_EQ(found.version, 2);
}

TEST_P(StoreConformanceTest, AppointmentEditorNameFollowsRenames) {
  seed();
  user renamed = alice_;
  renamed.name = "Alice Renamed";
  ASSERT_TRUE(store_->save_user(renamed));
  EXPECT_EQ(store_->find_appointment("appt-1")->updated_by.name, "Alice Renamed");
}

// ---- locks -----------------------------------------------------------------

TEST_P(StoreConformanceTest, GrantIncrementsFencingTokenAndRevision) {
  seed();
  const auto granted = grant(alice_, "tab-1", t0);
  ASSERT_TRUE(granted);
  EXPECT_EQ(granted->appointment_id, "appt-1");
  EXPECT_EQ(granted->holder.id, "u-alice");
  EXPECT_EQ(granted->holder.name, "Alice Archer");
  EXPECT_EQ(granted->holder.email, "alice@example.com");
  EXPECT_EQ(granted->session_id, "tab-1");
  EXPECT_EQ(granted->acquired_at, t0);
  EXPECT_EQ(granted->last_activity_at, t0);
  EXPECT_EQ(granted->expires_at, t0 + std::chrono::minutes(5));
  EXPECT_EQ(granted->fencing_token, 1);
  EXPECT_FALSE(granted->position);

  const auto slot = store_->read_lock("appt-1");
  ASSERT_TRUE(slot && slot->lock);
  EXPECT_EQ(slot->revision, 1);
  EXPECT_EQ(slot->fencing_token, 1);
  EXPECT_EQ(slot->lock->holder.name, "Alice Archer");
  EXPECT_EQ(slot->lock->session_id, "tab-1");
  EXPECT_EQ(slot->lock->expires_at, t0 + std::chrono::minutes(5));
  EXPECT_FALSE(slot->lock->position);
}

TEST_P(StoreConformanceTest, GrantWithAStaleRevisionFails) {
  seed();
  ASSERT_TRUE(grant(alice_, "tab-1", t0, 0));
  EXPECT_FALSE(grant(bob_, "tab-2", t0, 0));
  const auto slot = store_->read_lock("appt-1");
  EXPECT_EQ(slot->lock->holder.id, "u-alice");
  EXPECT_EQ(slot->fencing_token, 1);
  EXPECT_EQ(slot->revision, 1);

  // With the current revision a takeover goes through and gets a new token.
  const auto taken = grant(carol_, "tab-3", t0, 1);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->holder.id, "u-carol");
  EXPECT_EQ(taken->fencing_token, 2);
}

TEST_P(StoreConformanceTest, GrantOfAnUnknownAppointmentFails) {
  seed();
  EXPECT_FALSE(grant(alice_, "tab-1", t0, 0, "appt-unknown"));
}

TEST_P(StoreConformanceTest, GrantToAnUnknownUserIsAnError) {
  seed();
  const user ghost = make_user("u-ghost", "ghost@example.com", "Ghost");
  try {
    grant(ghost, "tab-1", t0);
    FAIL() << "expected store_error";
  } catch (const store_error& e) {
    EXPECT_NE(std::string(e.what()).find("grant_lock"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(store_->read_lock("appt-1")->lock);
}

TEST_P(StoreConformanceTest, TouchExtendsALiveLockWithTheRightToken) {
  seed();
  ASSERT_TRUE(grant(alice_, "tab-1", t0));
  const auto later = t0 + std::chrono::minutes(3);
  const auto touched = touch(1, later);
  ASSERT_TRUE(touched);
  EXPECT_EQ(touched->last_activity_at, later);
  EXPECT_EQ(touched->expires_at, later + std::chrono::minutes(5));
  EXPECT_EQ(touched->acquired_at, t0);
  EXPECT_EQ(touched->fencing_token, 1);
  EXPECT_EQ(touched->holder.name, "Alice Archer");

  const auto slot = store_->read_lock("appt-1");
  EXPECT_EQ(slot->revision, 1);  // activity is not a new grant
  EXPECT_EQ(slot->lock->expires_at, later + std::chrono::minutes(5));
}

TEST_P(StoreConformanceTest, TouchFailsWithAWrongToken) {
  seed();
  ASSERT_TRUE(grant(alice_, "tab-1", t0));
  EXPECT_FALSE(touch(2, t0 + std::chrono::seconds(1)));
  EXPECT_FALSE(touch(0, t0 + std::chrono::seconds(1)));
  EXPECT_EQ(store_->read_lock("appt-1")->lock->expires_at, t0 + std::chrono::minutes(5));
}

TEST_P(StoreConformanceTest, TouchFailsOnceTheLockExpired) {
  seed();
  ASSERT_TRUE(grant(alice_, "tab-1", t0));
  EXPECT_FALSE(touch(1, t0 + std::chrono::minutes(5)));  // expires_at is not > now
  EXPECT_FALSE(touch(1, t0 + std::chrono::minutes(6)));
  EXPECT_EQ(store_->read_lock("appt-1")->lock->expires_at, t0 + std::chrono::minutes(5));
}

TEST_P(StoreConformanceTest, TouchFailsOnAFreeLock) {
  seed();
  ASSERT_TRUE(grant(alice_, "tab-1", t0));
  ASSERT_TRUE(clear(1));
  EXPECT_FALSE(touch(1, t0 + std::chrono::seconds(1)));
}

TEST_P(StoreConformanceTest, ClearFreesTheLockButKeepsTheFencingToken) {
  seed();
  ASSERT_TRUE(grant(alice_, "tab-1", t0));
  EXPECT_FALSE(clear(0));  // stale revision
  ASSERT_TRUE(store_->read_lock("appt-1")->lock);

  EXPECT_TRUE(clear(1));
  const auto slot = store_->read_lock("appt-1");
  ASSERT_TRUE(slot);
  EXPECT_FALSE(slot->lock);
  EXPECT_EQ(slot->revision, 2);
  EXPECT_EQ(slot->fencing_token, 1);

  const auto again = grant(bob_, "tab-2", t0 + std::chrono::minutes(1));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->fencing_token, 2);
  EXPECT_EQ(store_->read_lock("appt-1")->revision, 3);
}

TEST_P(StoreConformanceTest, FencingTokenSurvivesReopen) {
  seed();
  ASSERT_TRUE(grant(alice_, "tab-1", t0));
  ASSERT_TRUE(clear(1));
  ASSERT_TRUE(grant(bob_, "tab-2", t0));
  reopen();
  auto slot = store_->read_lock("appt-1");
  ASSERT_TRUE(slot && slot->lock);
  EXPECT_EQ(slot->lock->holder.id, "u-bob");
  EXPECT_EQ(slot->fencing_token, 2);
  ASSERT_TRUE(clear(slot->revision));
  reopen();
  slot = store_->read_lock("appt-1");
  EXPECT_FALSE(slot->lock);
  EXPECT_EQ(slot->fencing_token, 2);
  EXPECT_EQ(grant(carol_, "tab-3", t0)->fencing_token, 3);
}

TEST_P(StoreConformanceTest, DueLocksAndNextExpiry) {
  seed();
  const auto by = ref_of(alice_);
  store_->create_appointment(make_appointment("appt-2", t0, by));
  store_->create_appointment(make_appointment("appt-3", t0, by));
  EXPECT_FALSE(store_->next_expiry());
  EXPECT_TRUE(store_->held_locks().empty());

  ASSERT_TRUE(grant(alice_, "tab-1", t0, std::nullopt, "appt-1"));                          // expires t0+5m
  ASSERT_TRUE(grant(bob_, "tab-2", t0 + std::chrono::minutes(2), std::nullopt, "appt-2"));  // t0+7m

  EXPECT_EQ(store_->next_expiry(), t0 + std::chrono::minutes(5));
  const auto held = store_->held_locks();
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[0].appointment_id, "appt-1");
  EXPECT_EQ(held[1].appointment_id, "appt-2");
  EXPECT_EQ(held[1].holder.name, "Bob Baker");

  std::vector<lock_slot> due;
  const auto check_due = [&](time_point now) {
    store_->transact([&](store_tx& tx) {
      due = tx.due_locks(now);
      return true;
    });
  };
  check_due(t0 + std::chrono::minutes(4));
  EXPECT_TRUE(due.empty());
  check_due(t0 + std::chrono::minutes(5));  // due at expires_at exactly
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].appointment_id, "appt-1");
  EXPECT_EQ(due[0].revision, 1);
  ASSERT_TRUE(due[0].lock);
  EXPECT_EQ(due[0].lock->holder.id, "u-alice");
  check_due(t0 + std::chrono::minutes(10));
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].appointment_id, "appt-1");
  EXPECT_EQ(due[1].appointment_id, "appt-2");

  ASSERT_TRUE(clear(1, "appt-1"));
  EXPECT_EQ(store_->next_expiry(), t0 + std::chrono::minutes(7));
  ASSERT_TRUE(clear(1, "appt-2"));
  EXPECT_FALSE(store_->next_expiry());
  EXPECT_TRUE(store_->held_locks().empty());
}

// ---- queue -----------------------------------------------------------------

TEST_P(StoreConformanceTest, QueuePutsAdminsFirstThenFirstCome) {
  seed();
  const user dave = make_user("u-dave", "dave@example.com", "Dave Admin", role::admin);
  ASSERT_TRUE(store_->create_user(dave));
  const auto entry = [](const user& u, std::string session, time_point at) {
    return queue_entry{"appt-1", ref_of(u), u.role, std::move(session), at};
  };

  store_->transact([&](store_tx& tx) {
    tx.enqueue(entry(alice_, "tab-a", t0));
    tx.enqueue(entry(bob_, "tab-b", t0 + std::chrono::seconds(1)));
    tx.enqueue(entry(carol_, "tab-c", t0 + std::chrono::seconds(2)));
    tx.enqueue(entry(dave, "tab-d", t0 + std::chrono::seconds(3)));
    // Alice asks again from the same tab: she keeps her place.
    tx.enqueue(entry(alice_, "tab-a", t0 + std::chrono::seconds(4)));
    // ...and from another tab: that tab stands in line on its own.
    tx.enqueue(entry(alice_, "tab-a2", t0 + std::chrono::seconds(5)));
    return true;
  });

  const auto line = store_->queue("appt-1");
  ASSERT_EQ(line.size(), 5u);
  EXPECT_EQ(line[0].who.id, "u-carol");
  EXPECT_EQ(line[0].role, role::admin);
  EXPECT_EQ(line[0].who.name, "Carol Cole");
  EXPECT_EQ(line[1].who.id, "u-dave");
  EXPECT_EQ(line[2].who.id, "u-alice");
  EXPECT_EQ(line[2].session_id, "tab-a");
  EXPECT_EQ(line[2].enqueued_at, t0);
  EXPECT_EQ(line[2].who.email, "alice@example.com");
  EXPECT_EQ(line[2].appointment_id, "appt-1");
  EXPECT_EQ(line[3].who.id, "u-bob");
  EXPECT_EQ(line[4].who.id, "u-alice");
  EXPECT_EQ(line[4].session_id, "tab-a2");

  bool removed = false;
  bool removed_again = true;
  std::vector<queue_entry> in_tx;
  store_->transact([&](store_tx& tx) {
    removed = tx.dequeue("appt-1", "u-carol", "tab-c");
    removed_again = tx.dequeue("appt-1", "u-carol", "tab-c");
    in_tx = tx.queue("appt-1");
    return true;
  });
  EXPECT_TRUE(removed);
  EXPECT_FALSE(removed_again);
  ASSERT_EQ(in_tx.size(), 4u);
  EXPECT_EQ(in_tx[0].who.id, "u-dave");
  EXPECT_EQ(store_->queue("appt-1").size(), 4u);
  EXPECT_TRUE(store_->queue("appt-unknown").empty());

  // Leaving and joining again goes to the back.
  store_->transact([&](store_tx& tx) {
    tx.dequeue("appt-1", "u-alice", "tab-a");
    tx.enqueue(entry(alice_, "tab-a", t0 + std::chrono::seconds(9)));
    return true;
  });
  const auto after = store_->queue("appt-1");
  ASSERT_EQ(after.size(), 4u);
  EXPECT_EQ(after[1].who.id, "u-bob");
  EXPECT_EQ(after[3].session_id, "tab-a");
}

// ---- transactions ----------------------------------------------------------

TEST_P(StoreConformanceTest, TransactRollsBackWhenWorkReturnsFalse) {
  seed();
  store_->transact([&](store_tx& tx) {
    EXPECT_TRUE(tx.grant_lock("appt-1", 0, ref_of(alice_), "tab-1", t0, t0 + std::chrono::minutes(5)));
    tx.append_audit({0, t0, "appt-1", audit_action::acquired, ref_of(alice_), std::nullopt, "user"});
    EXPECT_TRUE(tx.read_lock("appt-1")->lock);  // visible inside
    return false;
  });
  const auto slot = store_->read_lock("appt-1");
  EXPECT_FALSE(slot->lock);
  EXPECT_EQ(slot->fencing_token, 0);
  EXPECT_EQ(slot->revision, 0);
  EXPECT_TRUE(store_->list_audit({}).empty());
}

TEST_P(StoreConformanceTest, TransactRollsBackAndRethrowsWhenWorkThrows) {
  seed();
  EXPECT_THROW(store_->transact([&](store_tx& tx) -> bool {
    tx.grant_lock("appt-1", 0, ref_of(alice_), "tab-1", t0, t0 + std::chrono::minutes(5));
    tx.append_audit({0, t0, "appt-1", audit_action::acquired, ref_of(alice_), std::nullopt, "user"});
    throw std::logic_error("bug in the caller");
  }),
               std::logic_error);
  EXPECT_FALSE(store_->read_lock("appt-1")->lock);
  EXPECT_TRUE(store_->list_audit({}).empty());

  // The connection went back to the pool clean: later work commits.
  ASSERT_TRUE(grant(alice_, "tab-1", t0));
  EXPECT_EQ(store_->read_lock("appt-1")->fencing_token, 1);
}

TEST_P(StoreConformanceTest, TransactCommitsWhenWorkReturnsTrue) {
  seed();
  std::int64_t audit_id = 0;
  store_->transact([&](store_tx& tx) {
    tx.grant_lock("appt-1", 0, ref_of(alice_), "tab-1", t0, t0 + std::chrono::minutes(5));
    audit_id = tx.append_audit({0, t0, "appt-1", audit_action::acquired, ref_of(alice_), std::nullopt, "user"});
    return true;
  });
  EXPECT_GT(audit_id, 0);
  EXPECT_TRUE(store_->read_lock("appt-1")->lock);
  ASSERT_EQ(store_->list_audit({}).size(), 1u);
}

TEST_P(StoreConformanceTest, AfterCommitRunsOnlyOnceCommitted) {
  seed();
  std::vector<std::string> ran;
  store_->transact([&](store_tx& tx) {
    tx.after_commit([&] {
      // Committed already: another connection sees the write.
      ran.push_back(store_->read_lock("appt-1")->lock ? "committed" : "not yet");
    });
    return tx.grant_lock("appt-1", 0, ref_of(alice_), "tab-1", t0, t0 + std::chrono::minutes(5)).has_value();
  });
  store_->transact([&](store_tx& tx) {
    tx.after_commit([&] { ran.push_back("rolled back"); });
    return false;
  });
  EXPECT_THROW(store_->transact([&](store_tx& tx) -> bool {
    tx.after_commit([&] { ran.push_back("threw"); });
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(ran, std::vector<std::string>{"committed"});
}

// Group commit: every job's writes land together, each job's rollback or exception touches only
// its own, and after-commit work runs once the batch committed, in order.
TEST_P(StoreConformanceTest, RunBatchCommitsEachJobsWritesAndIsolatesItsFailures) {
  seed();
  std::vector<std::string> ran;
  std::vector<std::function<void()>> jobs;
  jobs.emplace_back([&] {
    store_->transact([&](store_tx& tx) {
      tx.after_commit([&] { ran.push_back("grant"); });
      return tx.grant_lock("appt-1", 0, ref_of(alice_), "tab-1", t0, t0 + std::chrono::minutes(5)).has_value();
    });
  });
  jobs.emplace_back([&] {
    store_->transact([&](store_tx& tx) {
      tx.append_audit({0, t0, "appt-1", audit_action::acquired, ref_of(bob_), std::nullopt, "rolled back"});
      tx.after_commit([&] { ran.push_back("rolled back"); });
      return false;
    });
  });
  jobs.emplace_back([&] {
    try {
      store_->transact([&](store_tx& tx) -> bool {
        tx.append_audit({0, t0, "appt-1", audit_action::acquired, ref_of(bob_), std::nullopt, "threw"});
        throw std::runtime_error("boom");
      });
    } catch (const std::runtime_error&) {
      ran.push_back("caught");
    }
  });
  jobs.emplace_back([&] {
    // Sees the first job's write (same transaction), and writes outside transact() join in.
    ran.push_back(store_->read_lock("appt-1")->lock ? "sees grant" : "misses grant");
    store_->create_auth_session({"batch-hash", alice_.id, t0, t0 + std::chrono::hours(1)});
  });
  store_->run_batch(jobs);
  // (Batched on SQLite: "grant" runs after the batch committed, last. PostgreSQL commits job by job.)
  std::sort(ran.begin(), ran.end());
  EXPECT_EQ(ran, (std::vector<std::string>{"caught", "grant", "sees grant"}));
  EXPECT_TRUE(store_->read_lock("appt-1")->lock);
  const auto audit = store_->list_audit({});
  EXPECT_TRUE(audit.empty()) << audit.size() << " rows; the first: " << audit.front().reason;
  EXPECT_TRUE(store_->find_session_user("batch-hash", t0));
}

// ---- audit -----------------------------------------------------------------

TEST_P(StoreConformanceTest, AuditRoundTripsAndKeepsNamesAsWritten) {
  seed();
  std::int64_t first = 0;
  std::int64_t second = 0;
  store_->transact([&](store_tx& tx) {
    first = tx.append_audit({0, t0, "appt-1", audit_action::taken_over, ref_of(carol_), ref_of(alice_), "takeover"});
    second = tx.append_audit(
        {0, t0 + std::chrono::seconds(1), "appt-1", audit_action::expired, std::nullopt, ref_of(carol_), "expiry"});
    return true;
  });
  EXPECT_LT(first, second);

  user renamed = carol_;
  renamed.name = "Carol Renamed";
  renamed.email = "carol.new@example.com";
  ASSERT_TRUE(store_->save_user(renamed));

  const auto rows = store_->list_audit({});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, second);
  EXPECT_EQ(rows[0].action, audit_action::expired);
  EXPECT_FALSE(rows[0].actor);
  ASSERT_TRUE(rows[0].previous_holder);
  EXPECT_EQ(rows[0].previous_holder->name, "Carol Cole");
  EXPECT_EQ(rows[0].reason, "expiry");
  EXPECT_EQ(rows[0].at, t0 + std::chrono::seconds(1));

  EXPECT_EQ(rows[1].id, first);
  EXPECT_EQ(rows[1].appointment_id, "appt-1");
  EXPECT_EQ(rows[1].action, audit_action::taken_over);
  ASSERT_TRUE(rows[1].actor);
  EXPECT_EQ(rows[1].actor->id, "u-carol");
  EXPECT_EQ(rows[1].actor->name, "Carol Cole");
  EXPECT_EQ(rows[1].actor->email, "carol@example.com");
  ASSERT_TRUE(rows[1].previous_holder);
  EXPECT_EQ(rows[1].previous_holder->id, "u-alice");
  EXPECT_EQ(rows[1].previous_holder->name, "Alice Archer");
  EXPECT_EQ(rows[1].reason, "takeover");
}

TEST_P(StoreConformanceTest, AuditFiltersCombineAndPaginate) {
  seed();
  store_->create_appointment(make_appointment("appt-2", t0, ref_of(alice_)));
  // ids 1..12: appointment alternates, actor cycles alice/bob/carol, action acquired/released.
  const std::vector<user> actors{alice_, bob_, carol_};
  store_->transact([&](store_tx& tx) {
    for (int i = 0; i < 12; ++i) {
      tx.append_audit({0, t0 + std::chrono::seconds(i), i % 2 == 0 ? "appt-1" : "appt-2",
                       i % 4 < 2 ? audit_action::acquired : audit_action::released, ref_of(actors[i % 3]), std::nullopt,
                       "user"});
    }
    return true;
  });

  const auto ids = [](const std::vector<audit_entry>& rows) {
    std::vector<std::int64_t> out;
    for (const auto& r : rows) out.push_back(r.id);
    return out;
  };

  audit_filter all;
  EXPECT_EQ(ids(store_->list_audit(all)), (std::vector<std::int64_t>{12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));

  audit_filter by_appointment;
  by_appointment.appointment_id = "appt-1";  // i even: ids 1,3,5,...
  EXPECT_EQ(ids(store_->list_audit(by_appointment)), (std::vector<std::int64_t>{11, 9, 7, 5, 3, 1}));

  audit_filter by_actor;
  by_actor.actor_id = "u-bob";  // i % 3 == 1: ids 2,5,8,11
  EXPECT_EQ(ids(store_->list_audit(by_actor)), (std::vector<std::int64_t>{11, 8, 5, 2}));

  audit_filter by_action;
  by_action.action = audit_action::released;  // i % 4 in {2,3}: ids 3,4,7,8,11,12
  EXPECT_EQ(ids(store_->list_audit(by_action)), (std::vector<std::int64_t>{12, 11, 8, 7, 4, 3}));

  audit_filter combined;
  combined.appointment_id = "appt-1";
  combined.action = audit_action::released;  // ids 3,7,11
  EXPECT_EQ(ids(store_->list_audit(combined)), (std::vector<std::int64_t>{11, 7, 3}));
  combined.actor_id = "u-carol";  // i % 3 == 2 → ids 3, 6, 9, 12 → 3
  EXPECT_EQ(ids(store_->list_audit(combined)), (std::vector<std::int64_t>{3}));

  audit_filter page;
  page.limit = 5;
  const auto page1 = store_->list_audit(page);
  EXPECT_EQ(ids(page1), (std::vector<std::int64_t>{12, 11, 10, 9, 8}));
  page.before_id = page1.back().id;
  const auto page2 = store_->list_audit(page);
  EXPECT_EQ(ids(page2), (std::vector<std::int64_t>{7, 6, 5, 4, 3}));
  page.before_id = page2.back().id;
  EXPECT_EQ(ids(store_->list_audit(page)), (std::vector<std::int64_t>{2, 1}));
  page.before_id = 1;
  EXPECT_TRUE(store_->list_audit(page).empty());

  audit_filter paged_and_filtered;
  paged_and_filtered.appointment_id = "appt-2";
  paged_and_filtered.before_id = 8;
  paged_and_filtered.limit = 2;
  EXPECT_EQ(ids(store_->list_audit(paged_and_filtered)), (std::vector<std::int64_t>{6, 4}));
}

TEST_P(StoreConformanceTest, AuditLimitIsClampedToOneThroughFiveHundred) {
  seed();
  store_->transact([&](store_tx& tx) {
    for (int i = 0; i < 505; ++i)
      tx.append_audit({0, t0, "appt-1", audit_action::acquired, ref_of(alice_), std::nullopt, "user"});
    return true;
  });
  audit_filter f;
  f.limit = 0;
  EXPECT_EQ(store_->list_audit(f).size(), 1u);
  f.limit = -7;
  EXPECT_EQ(store_->list_audit(f).size(), 1u);
  f.limit = 100000;
  EXPECT_EQ(store_->list_audit(f).size(), 500u);
  f.limit = 50;
  EXPECT_EQ(store_->list_audit(f).size(), 50u);
}

// ---- concurrency -----------------------------------------------------------

// Eight threads race for one lock each round, half of them through a second
// store on the same database (as a second server process would). Even rounds read
// the revision before the race (compare-and-swap must reject the stale ones);
// odd rounds read it inside the transaction (the
// conditional write must still admit one: SQLite serialises writers, PostgreSQL
// re-checks the WHERE of a waiting UPDATE on the committed row).
TEST_P(StoreConformanceTest, ConcurrentGrantsHaveExactlyOneWinnerPerRound) {
  seed();
  auto second = open();
  constexpr int threads = 8;
  constexpr int rounds = 20;

  std::atomic<int> wins{0};
  std::atomic<int> errors{0};
  std::barrier sync(threads + 1);
  const std::vector<user> people{alice_, bob_, carol_};

  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      store& s = t % 2 == 0 ? *store_ : *second;
      const user& me = people[t % people.size()];
      const std::string session = "tab-" + std::to_string(t);
      for (int round = 0; round < rounds; ++round) {
        sync.arrive_and_wait();  // the lock is free
        std::optional<std::int64_t> seen;
        try {
          if (round % 2 == 0) seen = s.read_lock("appt-1")->revision;
        } catch (const std::exception&) {
          ++errors;
        }
        sync.arrive_and_wait();  // everyone has read
        try {
          s.transact([&](store_tx& tx) {
            std::int64_t revision = 0;
            if (seen) {
              revision = *seen;
            } else {
              const auto slot = tx.read_lock("appt-1");
              if (!slot || slot->lock) return false;
              revision = slot->revision;
            }
            const auto now = t0 + std::chrono::seconds(round);
            if (!tx.grant_lock("appt-1", revision, ref_of(me), session, now, now + std::chrono::minutes(5)))
              return false;
            ++wins;
            return true;
          });
        } catch (const std::exception&) {
          ++errors;
        }
        sync.arrive_and_wait();  // the round is over
      }
    });
  }

  for (int round = 0; round < rounds; ++round) {
    wins = 0;
    sync.arrive_and_wait();
    sync.arrive_and_wait();
    sync.arrive_and_wait();
    EXPECT_EQ(wins.load(), 1) << "round " << round;
    // No ASSERT here: returning early would leave the workers at the barrier.
    const auto slot = store_->read_lock("appt-1");
    if (!slot || !slot->lock) {
      ADD_FAILURE() << "nobody holds the lock after round " << round;
      continue;
    }
    EXPECT_EQ(slot->fencing_token, round + 1);
    EXPECT_TRUE(clear(slot->revision));
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(errors.load(), 0);
}

TEST_P(StoreConformanceTest, ManyReadersShareASmallPool) {
  seed();
  store_.reset();
  store_ = open(2);
  std::atomic<int> found{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 12; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 50; ++i)
        if (store_->find_appointment("appt-1") && store_->read_lock("appt-1")) ++found;
    });
  }
  for (auto& r : readers) r.join();
  EXPECT_EQ(found.load(), 12 * 50);
}

}  // namespace
}  // namespace slotlock::unit
