// The two in-memory caches of the request path (ADR 0013): what they answer, and that neither a
// late store read nor a late event ever brings back an older state than one already seen.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "domain/lock_table.hpp"
#include "domain/session_cache.hpp"

namespace slotlock::unit {
namespace {

using namespace std::chrono_literals;

const time_point t0 = time_point{} + std::chrono::hours(24 * 365 * 56);

user person(const std::string& id, role r = role::user) {
  user u;
  u.id = id;
  u.name = id;
  u.email = id + "@example.com";
  u.role = r;
  return u;
}

// ---- session_cache ---------------------------------------------------------------------------

TEST(session_cache, answers_a_kept_session_until_it_ends) {
  session_cache c;
  c.keep("h1", {person("alice"), t0 + 1h}, c.generation(), t0);
  ASSERT_TRUE(c.find("h1", t0));
  EXPECT_EQ(c.find("h1", t0 + 59min)->id, "alice");
  EXPECT_FALSE(c.find("h1", t0 + 1h)) << "a session is over at its end";
  EXPECT_FALSE(c.find("h2", t0));
}

TEST(session_cache, a_logout_forgets_that_session_only) {
  session_cache c;
  c.keep("a1", {person("alice"), t0 + 1h}, c.generation(), t0);
  c.keep("a2", {person("alice"), t0 + 1h}, c.generation(), t0);
  c.apply(session_ended{"alice", "a1"});
  EXPECT_FALSE(c.find("a1", t0));
  EXPECT_TRUE(c.find("a2", t0));
}

TEST(session_cache, ending_every_session_of_a_user_forgets_all_of_them) {
  session_cache c;
  c.keep("a1", {person("alice"), t0 + 1h}, c.generation(), t0);
  c.keep("a2", {person("alice"), t0 + 1h}, c.generation(), t0);
  c.keep("b1", {person("bob"), t0 + 1h}, c.generation(), t0);
  c.apply(session_ended{"alice", ""});
  EXPECT_FALSE(c.find("a1", t0));
  EXPECT_FALSE(c.find("a2", t0));
  EXPECT_TRUE(c.find("b1", t0));
}

TEST(session_cache, a_changed_user_is_read_afresh) {
  session_cache c;
  c.keep("a1", {person("alice"), t0 + 1h}, c.generation(), t0);
  c.apply(user_changed{"alice"});
  EXPECT_FALSE(c.find("a1", t0)) << "the old role must not be answered from memory";
}

TEST(session_cache, a_read_that_overlapped_a_logout_is_not_kept) {
  session_cache c;
  const auto since = c.generation();                    // the store read starts: the session is still open
  c.apply(session_ended{"alice", "a1"});                // the logout lands while it runs
  c.keep("a1", {person("alice"), t0 + 1h}, since, t0);  // the read's (now stale) answer
  EXPECT_FALSE(c.find("a1", t0)) << "a session ended during the read must not be remembered as open";
}

TEST(session_cache, clear_forgets_everything_and_refuses_reads_from_before) {
  session_cache c;
  const auto since = c.generation();
  c.keep("a1", {person("alice"), t0 + 1h}, since, t0);
  c.clear();
  EXPECT_FALSE(c.find("a1", t0));
  c.keep("a2", {person("alice"), t0 + 1h}, since, t0);
  EXPECT_FALSE(c.find("a2", t0));
}

TEST(session_cache, stays_within_its_capacity) {
  session_cache c(4);
  for (int i = 0; i < 10; ++i)
    c.keep("h" + std::to_string(i), {person("p" + std::to_string(i)), t0 + 1h}, c.generation(), t0);
  EXPECT_LE(c.size(), 4u);
  EXPECT_TRUE(c.find("h9", t0)) << "the newest entry is kept";
}

// ---- lock_table ------------------------------------------------------------------------------

lock_record held(const std::string& appointment, const std::string& who, std::int64_t token, time_point expires) {
  lock_record l;
  l.appointment_id = appointment;
  l.holder = {who, who, who + "@example.com"};
  l.session_id = "tab-" + who;
  l.acquired_at = expires - 5min;
  l.last_activity_at = expires - 5min;
  l.expires_at = expires;
  l.fencing_token = token;
  return l;
}

lock_event granted(const lock_record& l, lock_event_kind kind = lock_event_kind::acquired) {
  lock_event e;
  e.kind = kind;
  e.appointment_id = l.appointment_id;
  e.lock = l;
  return e;
}

lock_event ended(const std::string& appointment, std::int64_t token, lock_event_kind kind = lock_event_kind::released) {
  lock_event e;
  e.kind = kind;
  e.appointment_id = appointment;
  e.ended_token = token;
  return e;
}

TEST(lock_table, knows_only_what_it_was_told) {
  lock_table t;
  EXPECT_FALSE(t.find("a", t0)) << "unknown: the store must be asked";
  t.keep("a", {0, std::nullopt}, t.generation());
  ASSERT_TRUE(t.find("a", t0));
  EXPECT_FALSE(*t.find("a", t0)) << "known and free";
}

TEST(lock_table, follows_grants_refreshes_and_releases) {
  lock_table t;
  t.keep("a", {0, std::nullopt}, t.generation());
  t.apply(granted(held("a", "alice", 1, t0 + 5min)));
  EXPECT_EQ((*t.find("a", t0))->holder.id, "alice");
  t.apply(granted(held("a", "alice", 1, t0 + 9min), lock_event_kind::refreshed));
  EXPECT_EQ((*t.find("a", t0))->expires_at, t0 + 9min);
  t.apply(ended("a", 1));
  EXPECT_FALSE(*t.find("a", t0));
  t.apply(granted(held("a", "bob", 2, t0 + 5min), lock_event_kind::granted));
  EXPECT_EQ((*t.find("a", t0))->holder.id, "bob");
}

TEST(lock_table, a_lock_past_its_expiry_is_answered_as_free) {
  lock_table t;
  t.apply(granted(held("a", "alice", 1, t0 + 5min)));
  EXPECT_TRUE(*t.find("a", t0 + 4min));
  EXPECT_FALSE(*t.find("a", t0 + 5min));
}

TEST(lock_table, a_late_store_read_never_brings_back_an_ended_lock) {
  lock_table t;
  const auto since = t.generation();  // a read starts and sees Alice holding token 1
  t.apply(ended("a", 1));             // meanwhile her release arrives
  t.keep("a", {1, held("a", "alice", 1, t0 + 5min)}, since);
  EXPECT_FALSE(*t.find("a", t0)) << "the end of lock 1 is newer than lock 1";
}

TEST(lock_table, a_late_event_never_undoes_a_newer_grant) {
  lock_table t;
  t.apply(granted(held("a", "bob", 2, t0 + 5min)));
  t.apply(ended("a", 1));                              // the end of an older lock, late
  t.apply(granted(held("a", "alice", 1, t0 + 9min)));  // an older grant, late
  EXPECT_EQ((*t.find("a", t0))->holder.id, "bob");
  t.apply(granted(held("a", "bob", 2, t0 + 3min), lock_event_kind::refreshed));  // an older refresh
  EXPECT_EQ((*t.find("a", t0))->expires_at, t0 + 5min);
}

TEST(lock_table, an_end_it_cannot_order_makes_it_ask_the_store_again) {
  lock_table t;
  t.apply(granted(held("a", "alice", 1, t0 + 5min)));
  lock_event e;
  e.kind = lock_event_kind::released;
  e.appointment_id = "a";  // no ended_token (a process of an older build)
  t.apply(e);
  EXPECT_FALSE(t.find("a", t0));
}

TEST(lock_table, clear_forgets_everything_and_refuses_reads_from_before) {
  lock_table t;
  const auto since = t.generation();
  t.apply(granted(held("a", "alice", 1, t0 + 5min)));
  t.clear();
  EXPECT_FALSE(t.find("a", t0));
  t.keep("b", {0, std::nullopt}, since);
  EXPECT_FALSE(t.find("b", t0));
}

TEST(lock_table, stays_within_its_capacity_and_refuses_reads_that_overlapped_an_eviction) {
  lock_table t(4);
  const auto since = t.generation();
  for (int i = 0; i < 10; ++i) t.keep("a" + std::to_string(i), {0, std::nullopt}, t.generation());
  EXPECT_LE(t.size(), 4u);
  t.keep("late", {0, std::nullopt}, since);
  EXPECT_FALSE(t.find("late", t0)) << "what the read would overwrite may have been evicted";
}

TEST(lock_table, knows_every_held_lock_once_filled_and_keeps_knowing_through_events) {
  lock_table t;
  EXPECT_FALSE(t.held(t0)) << "not filled: the store must be asked";
  t.fill_held({held("a", "alice", 1, t0 + 5min)}, t.generation());
  ASSERT_TRUE(t.held(t0));
  EXPECT_EQ(t.held(t0)->size(), 1u);
  t.apply(granted(held("b", "bob", 1, t0 + 5min)));  // a grant after the fill
  t.apply(ended("a", 1));
  const auto now_held = *t.held(t0);
  ASSERT_EQ(now_held.size(), 1u);
  EXPECT_EQ(now_held[0].holder.id, "bob");
  EXPECT_TRUE(t.held(t0 + 5min)->empty()) << "an expired lock is not live";
}

TEST(lock_table, forgets_that_it_knew_every_held_lock_on_a_clear_an_overlap_or_an_eviction) {
  lock_table t(2);
  const auto before = t.generation();
  t.clear();
  t.fill_held({held("a", "alice", 1, t0 + 5min)}, before);  // the read overlapped the clear
  EXPECT_FALSE(t.held(t0));
  t.fill_held({held("a", "alice", 1, t0 + 5min)}, t.generation());
  ASSERT_TRUE(t.held(t0));
  t.clear();
  EXPECT_FALSE(t.held(t0));
  t.fill_held({held("a", "alice", 1, t0 + 5min), held("b", "bob", 2, t0 + 5min)}, t.generation());
  t.apply(granted(held("c", "carol", 3, t0 + 5min)));  // no room: every held entry goes
  EXPECT_FALSE(t.held(t0)) << "a held lock was evicted: the table no longer knows them all";
}

}  // namespace
}  // namespace slotlock::unit
