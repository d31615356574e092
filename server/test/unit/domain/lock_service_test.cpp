#include "domain/lock_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "domain/appointment_service.hpp"
#include "fixture.hpp"

namespace slotlock::unit {
namespace {

using kind = acquire_outcome::kind;
using namespace std::chrono_literals;

constexpr seconds ttl{300};

// Every rule, over SQLite and over PostgreSQL (the store conformance of the domain).
class lock_service_test : public domain_test, public ::testing::WithParamInterface<store_backend> {
 protected:
  lock_service_test() : domain_test(GetParam()) {
    alice_ = add_user("alice");
    bob_ = add_user("bob");
    dave_ = add_user("dave");
    carol_ = add_user("carol", role::admin);
    erin_ = add_user("erin", role::admin);
    appt_ = add_appointment();
    make_service();
  }

  static lock_settings settings(double attempts_per_second = 1e6) {
    lock_settings s;
    s.ttl = ttl;
    s.attempts_per_second = attempts_per_second;
    return s;
  }

  void make_service(double attempts_per_second = 1e6) {
    locks_ = std::make_unique<lock_service>(*store_, clock_, bus_, settings(attempts_per_second));
  }

  result<acquire_outcome> acquire(const user& u, const std::string& session, bool takeover = false,
                                  bool queue = false) {
    return locks_->acquire({appt_, u, session, takeover, queue});
  }
  result<acquire_outcome> enqueue(const user& u, const std::string& session) {
    return acquire(u, session, false, true);
  }
  result<bool> release(const user& u, bool force = false) { return locks_->release({appt_, u, force}); }

  std::optional<lock_record> current() {
    auto s = locks_->status(appt_);
    EXPECT_TRUE(succeeded(s));
    return s.has_value() ? *s : std::nullopt;
  }

  std::vector<std::string> queue_ids() {
    auto q = locks_->queue(appt_);
    EXPECT_TRUE(succeeded(q));
    std::vector<std::string> ids;
    if (q.has_value())
      for (const auto& e : *q) ids.push_back(e.who.id);
    return ids;
  }

  user alice_, bob_, dave_, carol_, erin_;
  std::string appt_;
  std::unique_ptr<lock_service> locks_;
};

INSTANTIATE_TEST_SUITE_P(stores, lock_service_test, ::testing::Values(store_backend::sqlite, store_backend::postgres),
                         backend_name);

// ---- acquire ---------------------------------------------------------------

TEST_P(lock_service_test, acquire_on_a_free_lock_grants_token_1_until_now_plus_ttl) {
  const auto r = acquire(alice_, "tab-a");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::acquired);
  ASSERT_TRUE(r->lock);
  EXPECT_EQ(r->lock->fencing_token, 1);
  EXPECT_EQ(r->lock->holder.id, alice_.id);
  EXPECT_EQ(r->lock->holder.name, "alice");
  EXPECT_EQ(r->lock->holder.email, "alice@example.com");
  EXPECT_EQ(r->lock->session_id, "tab-a");
  EXPECT_EQ(r->lock->appointment_id, appt_);
  EXPECT_EQ(to_millis(r->lock->acquired_at), to_millis(t0));
  EXPECT_EQ(to_millis(r->lock->last_activity_at), to_millis(t0));
  EXPECT_EQ(to_millis(r->lock->expires_at), to_millis(t0 + ttl));

  const auto held = current();
  ASSERT_TRUE(held);
  EXPECT_EQ(held->holder.id, alice_.id);
  EXPECT_EQ(held->fencing_token, 1);

  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, audit_action::acquired);
  ASSERT_TRUE(audit[0].actor);
  EXPECT_EQ(audit[0].actor->id, alice_.id);
  EXPECT_FALSE(audit[0].previous_holder);
  EXPECT_EQ(to_millis(audit[0].at), to_millis(t0));

  const auto acquired = events_.lock_events(lock_event_kind::acquired);
  ASSERT_EQ(acquired.size(), 1u);
  EXPECT_EQ(acquired[0].appointment_id, appt_);
  ASSERT_TRUE(acquired[0].lock);
  EXPECT_EQ(acquired[0].lock->holder.id, alice_.id);
  EXPECT_EQ(acquired[0].lock->fencing_token, 1);
}

TEST_P(lock_service_test, same_user_and_session_again_refreshes_with_the_same_token_and_a_later_expiry) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(40s);
  const auto r = acquire(alice_, "tab-a");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::refreshed);
  ASSERT_TRUE(r->lock);
  EXPECT_EQ(r->lock->fencing_token, 1);
  EXPECT_EQ(to_millis(r->lock->acquired_at), to_millis(t0));
  EXPECT_EQ(to_millis(r->lock->expires_at), to_millis(t0 + 40s + ttl));
  EXPECT_EQ(to_millis(current()->expires_at), to_millis(t0 + 40s + ttl));
  EXPECT_EQ(events_.lock_events(lock_event_kind::refreshed).size(), 1u);
  // A refresh is not a new grant: no second `acquired` row.
  EXPECT_EQ(audit_of(appt_).size(), 1u);
}

TEST_P(lock_service_test, same_user_in_another_tab_gets_lock_held_with_the_holder) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  const auto r = acquire(alice_, "tab-b");
  ASSERT_TRUE(fails_with(r, errc::lock_held));
  ASSERT_TRUE(r.err().holder);
  EXPECT_EQ(r.err().holder->holder.id, alice_.id);
  EXPECT_EQ(r.err().holder->session_id, "tab-a");
  EXPECT_EQ(r.err().holder->fencing_token, 1);
  EXPECT_EQ(current()->session_id, "tab-a");
}

TEST_P(lock_service_test, another_user_gets_lock_held_with_the_holder) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  const auto r = acquire(bob_, "tab-b");
  ASSERT_TRUE(fails_with(r, errc::lock_held));
  ASSERT_TRUE(r.err().holder);
  EXPECT_EQ(r.err().holder->holder.id, alice_.id);
  EXPECT_EQ(r.err().holder->holder.name, "alice");
  EXPECT_EQ(r.err().holder->holder.email, "alice@example.com");
  EXPECT_EQ(current()->holder.id, alice_.id);
  // An admin without takeover is refused the same way.
  EXPECT_TRUE(fails_with(acquire(carol_, "tab-c"), errc::lock_held));
}

TEST_P(lock_service_test, acquire_rejects_unknown_appointments_and_bad_session_ids) {
  EXPECT_TRUE(fails_with(locks_->acquire({"no-such", alice_, "tab-a", false, false}), errc::not_found));
  EXPECT_TRUE(fails_with(acquire(alice_, ""), errc::bad_request));
  EXPECT_TRUE(fails_with(acquire(alice_, std::string(129, 's')), errc::bad_request));
  EXPECT_TRUE(succeeded(acquire(alice_, std::string(128, 's'))));
  EXPECT_TRUE(fails_with(locks_->status("no-such"), errc::not_found));
}

// ---- expiry ----------------------------------------------------------------

TEST_P(lock_service_test, a_lock_is_live_until_exactly_its_expiry) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(ttl - 1ms);
  EXPECT_TRUE(current());
  EXPECT_EQ(locks_->live_locks().size(), 1u);
  clock_.advance(1ms);
  EXPECT_FALSE(current());
  EXPECT_TRUE(locks_->live_locks().empty());
}

TEST_P(lock_service_test, expired_lock_is_gone_from_status_before_expire_due_runs) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(ttl + 1s);
  // Still stored as held: only the reading makes it free.
  ASSERT_TRUE(store_->read_lock(appt_)->lock);
  EXPECT_FALSE(current());
  EXPECT_TRUE(locks_->live_locks().empty());
  EXPECT_TRUE(events_.lock_events(lock_event_kind::expired).empty());
}

TEST_P(lock_service_test, expire_due_audits_and_publishes_the_previous_holder_and_the_next_grant_gets_token_plus_1) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(ttl + 1s);
  locks_->expire_due();

  EXPECT_FALSE(store_->read_lock(appt_)->lock);
  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, audit_action::expired);
  EXPECT_FALSE(audit[1].actor);
  ASSERT_TRUE(audit[1].previous_holder);
  EXPECT_EQ(audit[1].previous_holder->id, alice_.id);
  EXPECT_EQ(to_millis(audit[1].at), to_millis(t0 + ttl + 1s));

  const auto expired = events_.lock_events(lock_event_kind::expired);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].appointment_id, appt_);
  ASSERT_TRUE(expired[0].previous_holder);
  EXPECT_EQ(expired[0].previous_holder->id, alice_.id);

  // Nothing more is due: a second run does nothing.
  locks_->expire_due();
  EXPECT_EQ(audit_of(appt_).size(), 2u);
  EXPECT_EQ(events_.lock_events(lock_event_kind::expired).size(), 1u);

  const auto r = acquire(bob_, "tab-b");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::acquired);
  EXPECT_EQ(r->lock->fencing_token, 2);
}

TEST_P(lock_service_test, acquiring_over_an_expired_lock_audits_the_expiry_first) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(ttl);
  const auto r = acquire(bob_, "tab-b");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::acquired);
  EXPECT_EQ(r->lock->fencing_token, 2);
  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[1].action, audit_action::expired);
  EXPECT_EQ(audit[1].previous_holder->id, alice_.id);
  EXPECT_EQ(audit[2].action, audit_action::acquired);
  EXPECT_EQ(audit[2].actor->id, bob_.id);
  EXPECT_EQ(events_.lock_events(lock_event_kind::expired).size(), 1u);
}

TEST_P(lock_service_test, the_same_tab_after_expiry_gets_a_new_grant_not_a_refresh) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(ttl + 1s);
  const auto r = acquire(alice_, "tab-a");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::acquired);
  EXPECT_EQ(r->lock->fencing_token, 2);
}

TEST_P(lock_service_test, new_expiry_times_are_reported_to_the_listener) {
  std::vector<time_point> told;
  locks_->on_new_expiry([&](time_point t) { told.push_back(t); });
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(to_millis(told[0]), to_millis(t0 + ttl));
  ASSERT_TRUE(locks_->next_expiry());
  EXPECT_EQ(to_millis(*locks_->next_expiry()), to_millis(t0 + ttl));
}

// ---- heartbeat -------------------------------------------------------------

TEST_P(lock_service_test, heartbeat_of_the_holder_extends_the_lock) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(200s);
  const auto r = locks_->heartbeat(appt_, alice_, "tab-a");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->fencing_token, 1);
  EXPECT_EQ(to_millis(r->last_activity_at), to_millis(t0 + 200s));
  EXPECT_EQ(to_millis(r->expires_at), to_millis(t0 + 200s + ttl));
  // Past the original expiry, still held thanks to the heartbeat.
  clock_.advance(200s);
  ASSERT_TRUE(current());
  EXPECT_EQ(current()->holder.id, alice_.id);
  locks_->expire_due();
  EXPECT_TRUE(events_.lock_events(lock_event_kind::expired).empty());
  EXPECT_EQ(events_.lock_events(lock_event_kind::refreshed).size(), 1u);
}

TEST_P(lock_service_test, heartbeat_by_someone_else_is_not_holder) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(10s);
  EXPECT_TRUE(fails_with(locks_->heartbeat(appt_, bob_, "tab-a"), errc::not_holder));
  EXPECT_TRUE(fails_with(locks_->heartbeat(appt_, alice_, "tab-b"), errc::not_holder));
  EXPECT_EQ(to_millis(current()->expires_at), to_millis(t0 + ttl));  // not extended
  EXPECT_TRUE(fails_with(locks_->heartbeat("no-such", alice_, "tab-a"), errc::not_found));
}

TEST_P(lock_service_test, heartbeat_after_expiry_or_on_a_free_lock_is_not_holder) {
  EXPECT_TRUE(fails_with(locks_->heartbeat(appt_, alice_, "tab-a"), errc::not_holder));
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(ttl);
  EXPECT_TRUE(fails_with(locks_->heartbeat(appt_, alice_, "tab-a"), errc::not_holder));
  EXPECT_FALSE(current());
}

// ---- release ---------------------------------------------------------------

TEST_P(lock_service_test, release_by_the_holder_from_another_tab_frees_the_lock) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(5s);
  const auto r = release(alice_);
  ASSERT_TRUE(succeeded(r));
  EXPECT_TRUE(*r);
  EXPECT_FALSE(current());
  EXPECT_FALSE(store_->read_lock(appt_)->lock);

  const auto released = events_.lock_events(lock_event_kind::released);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].reason, "user");
  ASSERT_TRUE(released[0].previous_holder);
  EXPECT_EQ(released[0].previous_holder->id, alice_.id);

  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, audit_action::released);
  EXPECT_EQ(audit[1].actor->id, alice_.id);
  EXPECT_EQ(audit[1].previous_holder->id, alice_.id);
  EXPECT_EQ(audit[1].reason, "user");

  // Someone else may now take it, with the next token.
  const auto next = acquire(bob_, "tab-b");
  ASSERT_TRUE(succeeded(next));
  EXPECT_EQ(next->lock->fencing_token, 2);
}

TEST_P(lock_service_test, release_when_nothing_is_held_is_false) {
  const auto r = release(alice_);
  ASSERT_TRUE(succeeded(r));
  EXPECT_FALSE(*r);
  EXPECT_TRUE(events_.lock_events(lock_event_kind::released).empty());
  EXPECT_TRUE(audit_of(appt_).empty());
  EXPECT_TRUE(fails_with(locks_->release({"no-such", alice_, false}), errc::not_found));
}

TEST_P(lock_service_test, release_after_the_lock_expired_is_false) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(ttl + 1s);
  const auto r = release(alice_);
  ASSERT_TRUE(succeeded(r));
  EXPECT_FALSE(*r);
  EXPECT_TRUE(events_.lock_events(lock_event_kind::released).empty());
}

TEST_P(lock_service_test, release_by_another_user_is_not_lock_owner_and_keeps_the_lock) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  const auto r = release(bob_);
  ASSERT_TRUE(fails_with(r, errc::not_lock_owner));
  ASSERT_TRUE(r.err().holder);
  EXPECT_EQ(r.err().holder->holder.id, alice_.id);
  // An admin without force is no owner either.
  EXPECT_TRUE(fails_with(release(carol_), errc::not_lock_owner));
  ASSERT_TRUE(current());
  EXPECT_EQ(current()->holder.id, alice_.id);
  EXPECT_TRUE(events_.lock_events(lock_event_kind::released).empty());
}

TEST_P(lock_service_test, forced_release_by_an_admin_frees_and_audits_force_released) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  const auto r = release(carol_, true);
  ASSERT_TRUE(succeeded(r));
  EXPECT_TRUE(*r);
  EXPECT_FALSE(current());
  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, audit_action::force_released);
  EXPECT_EQ(audit[1].actor->id, carol_.id);
  EXPECT_EQ(audit[1].previous_holder->id, alice_.id);
  const auto released = events_.lock_events(lock_event_kind::released);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].reason, "force");
  EXPECT_EQ(released[0].previous_holder->id, alice_.id);
}

TEST_P(lock_service_test, forced_release_by_a_non_admin_is_forbidden) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  EXPECT_TRUE(fails_with(release(bob_, true), errc::forbidden));
  EXPECT_TRUE(fails_with(release(alice_, true), errc::forbidden));
  ASSERT_TRUE(current());
  EXPECT_EQ(current()->holder.id, alice_.id);
  EXPECT_EQ(audit_of(appt_).size(), 1u);
}

TEST_P(lock_service_test, release_session_frees_only_that_tab_and_audits_the_reason) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  EXPECT_FALSE(locks_->release_session(appt_, alice_.id, "tab-b", "disconnect"));
  EXPECT_FALSE(locks_->release_session(appt_, bob_.id, "tab-a", "disconnect"));
  ASSERT_TRUE(current());
  EXPECT_TRUE(locks_->release_session(appt_, alice_.id, "tab-a", "disconnect"));
  EXPECT_FALSE(current());
  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, audit_action::released);
  EXPECT_EQ(audit[1].reason, "disconnect");
  EXPECT_EQ(audit[1].previous_holder->id, alice_.id);
  const auto released = events_.lock_events(lock_event_kind::released);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].reason, "disconnect");
}

TEST_P(lock_service_test, a_holder_active_over_rest_after_their_socket_closed_keeps_the_lock) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  const auto socket_closed = clock_.now();
  clock_.advance(3s);
  ASSERT_TRUE(succeeded(locks_->heartbeat(appt_, alice_, "tab-a")));
  EXPECT_FALSE(locks_->release_session(appt_, alice_.id, "tab-a", "disconnect", socket_closed));
  ASSERT_TRUE(current());
  // Silent since: the grace ends in a release.
  clock_.advance(1s);
  EXPECT_TRUE(locks_->release_session(appt_, alice_.id, "tab-a", "disconnect", clock_.now()));
  EXPECT_FALSE(current());
}

TEST_P(lock_service_test, a_session_id_outside_the_charset_is_a_bad_request_everywhere) {
  for (const std::string& bad :
       std::vector<std::string>{"", "tab a", "tab\n", "t\xc3\xa9", "\xff\xfe", std::string(129, 'x'), "\"}"}) {
    EXPECT_TRUE(fails_with(acquire(alice_, bad), errc::bad_request)) << bad;
    EXPECT_TRUE(fails_with(locks_->heartbeat(appt_, alice_, bad), errc::bad_request)) << bad;
    EXPECT_TRUE(fails_with(locks_->leave_queue(appt_, alice_, bad), errc::bad_request)) << bad;
    EXPECT_TRUE(fails_with(locks_->request_control(appt_, carol_, bad), errc::bad_request)) << bad;
  }
  std::string longest = "AZaz09._:-";
  longest.append(118, 'x');
  EXPECT_TRUE(succeeded(acquire(alice_, longest)));
}

TEST_P(lock_service_test, a_place_in_line_needs_the_tabs_socket) {
  std::vector<std::tuple<std::string, std::string, std::string>> asked;
  locks_->on_tab_presence([&](const std::string& a, const std::string& u, const std::string& s) {
    asked.emplace_back(a, u, s);
    return s == "open-tab";
  });
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  EXPECT_TRUE(fails_with(enqueue(bob_, "ghost-tab"), errc::not_connected));
  EXPECT_TRUE(queue_ids().empty());
  const auto queued = enqueue(bob_, "open-tab");
  ASSERT_TRUE(succeeded(queued));
  EXPECT_EQ(queued->what, kind::queued);
  EXPECT_EQ(queue_ids(), std::vector<std::string>{bob_.id});
  ASSERT_FALSE(asked.empty());
  EXPECT_EQ(asked.back(), std::make_tuple(appt_, bob_.id, std::string("open-tab")));
  // A free lock is simply taken: no socket needed.
  ASSERT_TRUE(succeeded(release(alice_)));
  ASSERT_TRUE(succeeded(locks_->leave_queue(appt_, bob_, "open-tab")));  // bob passes on the offer
  EXPECT_EQ(enqueue(dave_, "ghost-tab")->what, kind::acquired);
}

// ---- takeover --------------------------------------------------------------

TEST_P(lock_service_test, takeover_by_an_admin_grants_a_new_token_and_names_both_sides) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(7s);
  const auto r = acquire(carol_, "tab-c", true);
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::taken_over);
  ASSERT_TRUE(r->lock);
  EXPECT_EQ(r->lock->holder.id, carol_.id);
  EXPECT_EQ(r->lock->session_id, "tab-c");
  EXPECT_EQ(r->lock->fencing_token, 2);
  EXPECT_EQ(to_millis(r->lock->expires_at), to_millis(t0 + 7s + ttl));
  EXPECT_EQ(current()->holder.id, carol_.id);

  const auto taken = events_.lock_events(lock_event_kind::taken_over);
  ASSERT_EQ(taken.size(), 1u);
  ASSERT_TRUE(taken[0].lock);
  EXPECT_EQ(taken[0].lock->holder.id, carol_.id);
  EXPECT_EQ(taken[0].lock->fencing_token, 2);
  ASSERT_TRUE(taken[0].previous_holder);
  EXPECT_EQ(taken[0].previous_holder->id, alice_.id);
  ASSERT_TRUE(taken[0].by);
  EXPECT_EQ(taken[0].by->id, carol_.id);

  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, audit_action::taken_over);
  EXPECT_EQ(audit[1].actor->id, carol_.id);
  EXPECT_EQ(audit[1].previous_holder->id, alice_.id);

  // The previous holder's tab has lost it.
  EXPECT_TRUE(fails_with(locks_->heartbeat(appt_, alice_, "tab-a"), errc::not_holder));
  EXPECT_TRUE(fails_with(release(alice_), errc::not_lock_owner));
}

TEST_P(lock_service_test, takeover_takes_the_admin_out_of_the_line) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(enqueue(carol_, "tab-c")));
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  const auto r = acquire(carol_, "tab-c", true);
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::taken_over);
  EXPECT_EQ(queue_ids(), std::vector<std::string>{bob_.id});
}

// PRODUCT.md: "Two admins racing: one wins, the other gets 409 with the winner."
TEST_P(lock_service_test, two_admins_racing_to_take_over_one_wins_and_the_other_gets_lock_held) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  std::barrier start(2);
  std::optional<result<acquire_outcome>> by_carol, by_erin;
  std::thread t1([&] {
    start.arrive_and_wait();
    by_carol.emplace(acquire(carol_, "tab-c", true));
  });
  std::thread t2([&] {
    start.arrive_and_wait();
    by_erin.emplace(acquire(erin_, "tab-e", true));
  });
  t1.join();
  t2.join();

  const int wins = (by_carol->has_value() ? 1 : 0) + (by_erin->has_value() ? 1 : 0);
  EXPECT_EQ(wins, 1) << "both admins were told they took the lock over";
  const auto& loser = by_carol->has_value() ? *by_erin : *by_carol;
  const auto& winner = by_carol->has_value() ? *by_carol : *by_erin;
  if (wins == 1) {
    ASSERT_TRUE(fails_with(loser, errc::lock_held));
    ASSERT_TRUE(loser.err().holder);
    EXPECT_EQ(loser.err().holder->holder.id, winner->lock->holder.id);
  }
  EXPECT_EQ(events_.lock_events(lock_event_kind::taken_over).size(), 1u);
}

TEST_P(lock_service_test, takeover_by_a_user_is_forbidden) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  EXPECT_TRUE(fails_with(acquire(bob_, "tab-b", true), errc::forbidden));
  EXPECT_EQ(current()->holder.id, alice_.id);
  EXPECT_EQ(current()->fencing_token, 1);
  EXPECT_TRUE(events_.lock_events(lock_event_kind::taken_over).empty());
}

TEST_P(lock_service_test, takeover_of_a_free_lock_is_a_plain_acquire) {
  const auto r = acquire(carol_, "tab-c", true);
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::acquired);
  EXPECT_EQ(r->lock->fencing_token, 1);
  EXPECT_TRUE(events_.lock_events(lock_event_kind::taken_over).empty());
}

// ---- queue -----------------------------------------------------------------

TEST_P(lock_service_test, queue_on_a_free_lock_simply_acquires) {
  const auto r = enqueue(alice_, "tab-a");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::acquired);
  ASSERT_TRUE(r->lock);
  EXPECT_EQ(r->lock->fencing_token, 1);
  EXPECT_TRUE(queue_ids().empty());
}

TEST_P(lock_service_test, queue_on_a_held_lock_puts_admins_first_then_first_come) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));

  auto r = enqueue(bob_, "tab-b");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::queued);
  EXPECT_FALSE(r->lock);
  EXPECT_EQ(r->position, 1);

  r = enqueue(dave_, "tab-d");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::queued);
  EXPECT_EQ(r->position, 2);

  clock_.advance(1s);
  r = enqueue(carol_, "tab-c");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->what, kind::queued);
  EXPECT_EQ(r->position, 1);  // admins stand ahead of users

  r = enqueue(erin_, "tab-e");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->position, 2);  // behind the earlier admin

  EXPECT_EQ(queue_ids(), (std::vector<std::string>{carol_.id, erin_.id, bob_.id, dave_.id}));

  // Asking again keeps one's place.
  r = enqueue(bob_, "tab-b");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->position, 3);
  EXPECT_EQ(queue_ids().size(), 4u);

  const auto changes = events_.lock_events(lock_event_kind::queue_changed);
  ASSERT_FALSE(changes.empty());
  ASSERT_EQ(changes.back().queue.size(), 4u);
  EXPECT_EQ(changes.back().queue[0].who.id, carol_.id);
  EXPECT_EQ(changes.back().queue[0].role, role::admin);
  // The holder is untouched.
  EXPECT_EQ(current()->holder.id, alice_.id);
}

TEST_P(lock_service_test, release_offers_the_lock_to_the_head_of_the_line_who_takes_it) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  ASSERT_TRUE(succeeded(enqueue(dave_, "tab-d")));
  events_.clear();

  clock_.advance(3s);
  ASSERT_TRUE(succeeded(release(alice_)));

  // Free, but reserved: the lock does not start ticking for someone who may not be there.
  EXPECT_FALSE(current());
  const auto offer = locks_->offer(appt_);
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->who.id, bob_.id);
  EXPECT_EQ(offer->session_id, "tab-b");
  EXPECT_EQ(offer->deadline, t0 + 3s + 60s);
  EXPECT_EQ(queue_ids(), std::vector<std::string>{dave_.id});
  const auto offered = events_.lock_events(lock_event_kind::offered);
  ASSERT_EQ(offered.size(), 1u);
  EXPECT_EQ(offered[0].offer->who.id, bob_.id);
  EXPECT_EQ(offered[0].deadline, t0 + 3s + 60s);
  EXPECT_TRUE(events_.lock_events(lock_event_kind::granted).empty());

  // Nobody else may take it meanwhile, not even an admin by force; they may wait.
  const auto refused = acquire(dave_, "tab-d");
  ASSERT_TRUE(fails_with(refused, errc::lock_offered));
  EXPECT_EQ(refused.err().offer->who.id, bob_.id);
  EXPECT_TRUE(fails_with(acquire(carol_, "tab-c", true), errc::lock_offered));
  const auto waits = enqueue(carol_, "tab-c");
  ASSERT_TRUE(succeeded(waits));
  EXPECT_EQ(waits->what, kind::queued);

  // Bob takes it, from any of his tabs.
  clock_.advance(10s);
  const auto taken = acquire(bob_, "tab-b2");
  ASSERT_TRUE(succeeded(taken));
  EXPECT_EQ(taken->lock->fencing_token, 2);
  EXPECT_EQ(taken->lock->session_id, "tab-b2");
  EXPECT_EQ(to_millis(taken->lock->expires_at), to_millis(t0 + 13s + ttl));
  EXPECT_FALSE(locks_->offer(appt_));
  const auto ended = events_.lock_events(lock_event_kind::offer_ended);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].reason, "accepted");
  ASSERT_EQ(events_.lock_events(lock_event_kind::granted).size(), 1u);

  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[1].action, audit_action::released);
  EXPECT_EQ(audit[2].action, audit_action::offered);
  EXPECT_EQ(audit[2].actor->id, bob_.id);
  EXPECT_EQ(audit[2].previous_holder->id, alice_.id);
  EXPECT_EQ(audit[2].reason, "queue");
  EXPECT_EQ(audit[3].action, audit_action::granted);
  EXPECT_EQ(audit[3].actor->id, bob_.id);
  EXPECT_EQ(audit[3].reason, "offer");
  EXPECT_EQ(queue_ids(), (std::vector<std::string>{carol_.id, dave_.id}));
}

TEST_P(lock_service_test, an_offer_nobody_answers_moves_to_the_next_in_line_then_the_lock_is_simply_free) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  ASSERT_TRUE(succeeded(enqueue(carol_, "tab-c")));
  clock_.advance(ttl + 1s);
  locks_->expire_due();

  // Admins stand first.
  ASSERT_TRUE(locks_->offer(appt_));
  EXPECT_EQ(locks_->offer(appt_)->who.id, carol_.id);
  EXPECT_EQ(locks_->next_expiry(), t0 + ttl + 1s + 60s);

  clock_.advance(59s);
  locks_->expire_due();
  EXPECT_EQ(locks_->offer(appt_)->who.id, carol_.id);
  clock_.advance(1s);
  locks_->expire_due();
  ASSERT_TRUE(locks_->offer(appt_));
  EXPECT_EQ(locks_->offer(appt_)->who.id, bob_.id);
  EXPECT_TRUE(queue_ids().empty());

  clock_.advance(60s);
  locks_->expire_due();
  EXPECT_FALSE(locks_->offer(appt_));
  EXPECT_FALSE(current());
  EXPECT_TRUE(succeeded(acquire(dave_, "tab-d")));  // free for anyone now

  const auto audit = audit_of(appt_);
  std::vector<audit_action> actions;
  for (const auto& row : audit) actions.push_back(row.action);
  EXPECT_EQ(actions, (std::vector<audit_action>{audit_action::acquired, audit_action::expired, audit_action::offered,
                                                audit_action::offer_expired, audit_action::offered,
                                                audit_action::offer_expired, audit_action::acquired}));
  EXPECT_EQ(audit[3].reason, "expiry");
  const auto ended = events_.lock_events(lock_event_kind::offer_ended);
  ASSERT_EQ(ended.size(), 2u);
  EXPECT_EQ(ended[0].reason, "expired");
}

TEST_P(lock_service_test, an_offer_found_lapsed_by_an_acquire_passes_on_before_the_timer_runs) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  clock_.advance(ttl + 1s);
  // The expiry timer has not run yet; dave arrives first, and cannot jump the line.
  const auto r = acquire(dave_, "tab-d");
  ASSERT_TRUE(fails_with(r, errc::lock_offered));
  EXPECT_EQ(r.err().offer->who.id, bob_.id);
  EXPECT_FALSE(current());
  // Bob's time runs out unseen; the next acquire finds it so and takes the free lock.
  clock_.advance(61s);
  EXPECT_TRUE(succeeded(acquire(dave_, "tab-d")));
  EXPECT_EQ(current()->holder.id, dave_.id);
}

TEST_P(lock_service_test, leave_queue_takes_the_caller_out_of_the_line_and_passing_declines_an_offer) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  ASSERT_TRUE(succeeded(enqueue(dave_, "tab-d")));

  EXPECT_FALSE(*locks_->leave_queue(appt_, bob_, "other-tab"));
  auto left = locks_->leave_queue(appt_, bob_, "tab-b");
  ASSERT_TRUE(succeeded(left));
  EXPECT_TRUE(*left);
  EXPECT_EQ(queue_ids(), std::vector<std::string>{dave_.id});
  left = locks_->leave_queue(appt_, bob_, "tab-b");
  ASSERT_TRUE(succeeded(left));
  EXPECT_FALSE(*left);
  EXPECT_TRUE(fails_with(locks_->leave_queue("no-such", bob_, "tab-b"), errc::not_found));

  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  ASSERT_TRUE(succeeded(release(alice_)));
  EXPECT_EQ(locks_->offer(appt_)->who.id, dave_.id);
  // Dave passes, from another tab of his: Bob is asked.
  left = locks_->leave_queue(appt_, dave_, "tab-d2");
  ASSERT_TRUE(succeeded(left));
  EXPECT_TRUE(*left);
  EXPECT_EQ(locks_->offer(appt_)->who.id, bob_.id);
  EXPECT_EQ(audit_of(appt_).back().action, audit_action::offered);
  const auto ended = events_.lock_events(lock_event_kind::offer_ended);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].reason, "declined");
}

TEST_P(lock_service_test, a_tab_gone_from_the_app_loses_its_offer_and_one_still_in_the_app_keeps_its_place) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  ASSERT_TRUE(succeeded(enqueue(dave_, "tab-d")));
  // Bob's tab left the appointment's page but is still in the app (the list): he keeps his place.
  EXPECT_FALSE(locks_->release_session(appt_, bob_.id, "tab-b", "disconnect", t0, true));
  EXPECT_EQ(queue_ids(), (std::vector<std::string>{bob_.id, dave_.id}));
  EXPECT_EQ(locks_->lines_of(bob_.id, "tab-b"), std::vector<std::string>{appt_});

  ASSERT_TRUE(succeeded(release(alice_)));
  EXPECT_EQ(locks_->offer(appt_)->who.id, bob_.id);
  EXPECT_EQ(locks_->lines_of(bob_.id, "tab-b"), std::vector<std::string>{appt_});
  // Then the tab closed: the offer moves on.
  EXPECT_FALSE(locks_->release_session(appt_, bob_.id, "tab-b", "disconnect", t0));
  EXPECT_EQ(locks_->offer(appt_)->who.id, dave_.id);
  EXPECT_TRUE(locks_->lines_of(bob_.id, "tab-b").empty());
  EXPECT_EQ(events_.lock_events(lock_event_kind::offer_ended).back().reason, "left");
}

// ---- fencing tokens across restarts ----------------------------------------

TEST_P(lock_service_test, fencing_token_keeps_growing_across_release_and_reopening_the_store) {
  ASSERT_EQ(acquire(alice_, "tab-a")->lock->fencing_token, 1);
  ASSERT_TRUE(*release(alice_));
  ASSERT_EQ(acquire(bob_, "tab-b")->lock->fencing_token, 2);
  ASSERT_TRUE(*release(bob_));

  locks_.reset();
  reopen_store();
  make_service();

  EXPECT_FALSE(current());
  const auto r = acquire(alice_, "tab-a");
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->lock->fencing_token, 3);
}

TEST_P(lock_service_test, a_held_lock_survives_reopening_the_store) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  locks_.reset();
  reopen_store();
  make_service();

  const auto held = current();
  ASSERT_TRUE(held);
  EXPECT_EQ(held->holder.id, alice_.id);
  EXPECT_EQ(held->fencing_token, 1);
  EXPECT_EQ(to_millis(held->expires_at), to_millis(t0 + ttl));
  EXPECT_EQ(queue_ids(), std::vector<std::string>{bob_.id});
  EXPECT_TRUE(fails_with(acquire(dave_, "tab-d"), errc::lock_held));
  const auto refreshed = acquire(alice_, "tab-a");
  ASSERT_TRUE(succeeded(refreshed));
  EXPECT_EQ(refreshed->what, kind::refreshed);
  EXPECT_EQ(audit_of(appt_).size(), 1u);
}

// ---- rate limit ------------------------------------------------------------

TEST_P(lock_service_test, attempts_beyond_the_burst_are_rate_limited_until_the_clock_refills) {
  make_service(0.5);  // a burst of 3, then one every 2 s
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(succeeded(acquire(alice_, "tab-a"))) << "attempt " << i;
  const auto r = acquire(alice_, "tab-a");
  ASSERT_TRUE(fails_with(r, errc::rate_limited));
  ASSERT_TRUE(r.err().retry_after_seconds);
  EXPECT_GE(*r.err().retry_after_seconds, 1);
  EXPECT_EQ(*r.err().retry_after_seconds, 2);

  // Per user: bob still has his whole burst.
  EXPECT_TRUE(fails_with(acquire(bob_, "tab-b"), errc::lock_held));

  clock_.advance(1s);
  EXPECT_TRUE(fails_with(acquire(alice_, "tab-a"), errc::rate_limited));
  clock_.advance(1s);
  const auto again = acquire(alice_, "tab-a");
  ASSERT_TRUE(succeeded(again));
  EXPECT_EQ(again->what, kind::refreshed);
  EXPECT_TRUE(fails_with(acquire(alice_, "tab-a"), errc::rate_limited));
}

// ---- concurrency -----------------------------------------------------------

TEST_P(lock_service_test, contested_acquires_grant_exactly_one_caller_per_round) {
  constexpr int threads = 8;
  constexpr int rounds = 200;
  std::vector<user> users;
  for (int i = 0; i < threads; ++i) users.push_back(add_user("racer" + std::to_string(i)));
  events_.clear();

  std::vector<std::atomic<int>> acquired(rounds);
  std::vector<std::atomic<int>> held(rounds);
  std::vector<std::atomic<std::int64_t>> tokens(rounds);
  std::atomic<int> unexpected{0};
  std::barrier sync(threads);

  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int round = 0; round < rounds; ++round) {
        sync.arrive_and_wait();
        const auto r = locks_->acquire({appt_, users[t], "tab-" + std::to_string(t), false, false});
        bool won = false;
        if (r.has_value() && r->what == kind::acquired) {
          won = true;
          acquired[round].fetch_add(1);
          tokens[round] = r->lock->fencing_token;
        } else if (!r.has_value() && r.err().code == errc::lock_held) {
          held[round].fetch_add(1);
        } else {
          unexpected.fetch_add(1);
        }
        sync.arrive_and_wait();
        if (won) {
          const auto rel = locks_->release({appt_, users[t], false});
          if (!rel.has_value() || !*rel) unexpected.fetch_add(1);
        }
      }
    });
  }
  for (auto& w : workers) w.join();

  EXPECT_EQ(unexpected.load(), 0);
  for (int round = 0; round < rounds; ++round) {
    ASSERT_EQ(acquired[round].load(), 1) << "round " << round;
    ASSERT_EQ(held[round].load(), threads - 1) << "round " << round;
    ASSERT_EQ(tokens[round].load(), round + 1) << "round " << round;
  }
  EXPECT_EQ(events_.lock_events(lock_event_kind::acquired).size(), static_cast<std::size_t>(rounds));
  EXPECT_EQ(events_.lock_events(lock_event_kind::released).size(), static_cast<std::size_t>(rounds));
  EXPECT_FALSE(current());
}

// PRODUCT.md: "across any number of server processes on one store, at most
// one caller holds an appointment's lock". Two store objects on one file
// stand for two processes (two stores on one database, with PostgreSQL).
// Two processes (each its own store and bus, so nothing in memory makes them
// take turns) asking for control of the same lock at once: exactly one admin
// is accepted, the other is told who asked first — never both.
TEST_P(lock_service_test, two_admins_on_two_processes_asking_for_control_at_once_get_one_request) {
  constexpr int rounds = 40;
  const user admins[2] = {carol_, erin_};
  auto second_store = open_second_store();
  in_process_event_bus second_bus;
  lock_service second(*second_store, clock_, second_bus, settings());
  lock_service* services[2] = {locks_.get(), &second};

  int accepted_rounds = 0;
  std::atomic<int> unexpected{0};
  for (int round = 0; round < rounds; ++round) {
    const auto id = add_appointment("appt-race-" + std::to_string(round));
    ASSERT_EQ(locks_->acquire({id, alice_, "tab-a", false, false})->what, kind::acquired);
    std::atomic<int> accepted{0};
    std::barrier sync(2);
    std::vector<std::thread> askers;
    for (int t = 0; t < 2; ++t) {
      askers.emplace_back([&, t] {
        sync.arrive_and_wait();
        try {
          const auto r = services[t]->request_control(id, admins[t], "tab-" + std::to_string(t));
          if (r.has_value())
            accepted.fetch_add(1);
          else if (r.err().code != errc::conflict)
            unexpected.fetch_add(1);
        } catch (const std::exception&) {
          unexpected.fetch_add(1);
        }
      });
    }
    for (auto& a : askers) a.join();
    if (accepted.load() == 1) ++accepted_rounds;
    const auto requests = audit_of(id);
    EXPECT_EQ(std::count_if(requests.begin(), requests.end(),
                            [](const audit_entry& e) { return e.action == audit_action::control_requested; }),
              1)
        << "round " << round;
  }
  EXPECT_EQ(accepted_rounds, rounds);
  EXPECT_EQ(unexpected.load(), 0);
}

TEST_P(lock_service_test, contested_acquires_through_two_stores_on_one_file_grant_exactly_one) {
  constexpr int threads = 4;
  constexpr int rounds = 100;
  std::vector<user> users;
  for (int i = 0; i < threads; ++i) users.push_back(add_user("proc-racer" + std::to_string(i)));
  auto second_store = open_second_store();
  lock_service second(*second_store, clock_, bus_, settings());
  lock_service* services[2] = {locks_.get(), &second};

  std::vector<std::atomic<int>> acquired(rounds);
  std::atomic<int> unexpected{0};
  std::barrier sync(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      lock_service& mine = *services[t % 2];
      for (int round = 0; round < rounds; ++round) {
        sync.arrive_and_wait();
        bool won = false;
        try {
          const auto r = mine.acquire({appt_, users[t], "tab-" + std::to_string(t), false, false});
          if (r.has_value() && r->what == kind::acquired) {
            won = true;
            acquired[round].fetch_add(1);
          } else if (r.has_value() || r.err().code != errc::lock_held) {
            unexpected.fetch_add(1);
          }
        } catch (const std::exception&) {
          unexpected.fetch_add(1);
        }
        sync.arrive_and_wait();
        if (won) {
          try {
            const auto rel = mine.release({appt_, users[t], false});
            if (!rel.has_value() || !*rel) unexpected.fetch_add(1);
          } catch (const std::exception&) {
            unexpected.fetch_add(1);
          }
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(unexpected.load(), 0);
  for (int round = 0; round < rounds; ++round) ASSERT_EQ(acquired[round].load(), 1) << "round " << round;
  EXPECT_EQ(store_->read_lock(appt_)->fencing_token, rounds);
}

// ---- the lock table (ADR 0013) ---------------------------------------------------------------

TEST_P(lock_service_test, a_process_answers_its_own_writes_from_memory_at_once) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  const auto known = locks_->status_from_memory(appt_);
  ASSERT_TRUE(known) << "the grant reached the table before acquire returned";
  ASSERT_TRUE(succeeded(*known));
  ASSERT_TRUE(known->value());
  EXPECT_EQ(known->value()->holder.id, alice_.id);
  ASSERT_TRUE(*release(alice_));
  EXPECT_FALSE(locks_->status_from_memory(appt_)->value());
}

TEST_P(lock_service_test, an_unknown_appointment_is_read_from_the_store_then_remembered) {
  const auto other = add_appointment("appt-fresh");
  EXPECT_FALSE(locks_->status_from_memory(other));
  ASSERT_TRUE(succeeded(locks_->status(other)));
  ASSERT_TRUE(locks_->status_from_memory(other));
  EXPECT_TRUE(fails_with(locks_->status("no-such-appointment"), errc::not_found));
  EXPECT_FALSE(locks_->status_from_memory("no-such-appointment")) << "a missing appointment is not remembered";
}

TEST_P(lock_service_test, a_change_made_by_another_process_reaches_the_table_with_its_event) {
  auto second_store = open_second_store();
  lock_service second(*second_store, clock_, bus_, settings());  // the same bus: its events reach us
  ASSERT_TRUE(succeeded(locks_->status(appt_)));                 // remembered as free
  ASSERT_TRUE(succeeded(second.acquire({appt_, bob_, "tab-b"})));
  EXPECT_EQ(locks_->status_from_memory(appt_)->value()->holder.id, bob_.id);
  ASSERT_TRUE(succeeded(second.release({appt_, carol_, true})));
  EXPECT_FALSE(locks_->status_from_memory(appt_)->value());
}

TEST_P(lock_service_test, a_stale_table_never_lets_a_stale_holder_save) {
  // The second process's events never reach the first (a bus that lost them): the first
  // process's table still says Alice holds token 1 after the lock moved to Bob.
  auto second_store = open_second_store();
  in_process_event_bus elsewhere;
  lock_service second(*second_store, clock_, elsewhere, settings());
  const auto mine = acquire(alice_, "tab-a");
  ASSERT_TRUE(succeeded(mine));
  ASSERT_TRUE(succeeded(second.release({appt_, carol_, true})));
  ASSERT_TRUE(succeeded(second.acquire({appt_, bob_, "tab-b"})));
  ASSERT_EQ(locks_->status_from_memory(appt_)->value()->holder.id, alice_.id) << "stale, as arranged";

  appointment_service appointments(*store_, clock_, bus_, ttl);
  save_request save;
  save.appointment_id = appt_;
  save.input = {"Dentist (moved)", "Pat Client", "pat@example.com", "2027-01-01T09:00:00Z", "2027-01-01T10:00:00Z",
                "Room 2",          "",           "scheduled"};
  save.based_on_version = 1;
  save.fencing_token = mine->lock->fencing_token;
  save.caller = alice_;
  EXPECT_TRUE(fails_with(appointments.save(save), errc::lock_not_held)) << "the store's fencing check decides";
  EXPECT_EQ(store_->find_appointment(appt_)->version, 1);
}

}  // namespace
}  // namespace slotlock::unit
