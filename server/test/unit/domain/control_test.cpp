// Admin control at the domain level: request_control, the hand-over of a
// released / disconnected / expired lock to the asking admin, and the
// deadline settled by expire_due (issue 5, PRODUCT.md section 2).
//
// Lock event kinds are compared through lock_events(kind) filters rather
// than EXPECT_EQ on the kind itself: fixture.hpp's PrintTo(lock_event_kind)
// has no name for control_declined.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/lock_service.hpp"
#include "fixture.hpp"

namespace slotlock::unit {
namespace {

using kind = acquire_outcome::kind;
using namespace std::chrono_literals;

constexpr seconds ttl{300};
constexpr seconds grace{30};

class control_test : public domain_test {
 protected:
  control_test() {
    alice_ = add_user("alice");
    bob_ = add_user("bob");
    carol_ = add_user("carol", role::admin);
    erin_ = add_user("erin", role::admin);
    appt_ = add_appointment();
    lock_settings s;
    s.ttl = ttl;
    s.control_grace = grace;
    s.attempts_per_second = 1e6;
    locks_ = std::make_unique<lock_service>(*store_, clock_, bus_, s);
  }

  result<acquire_outcome> acquire(const user& u, const std::string& session, bool takeover = false, bool queue = false,
                                  std::optional<std::int64_t> confirmed = std::nullopt) {
    return locks_->acquire({appt_, u, session, takeover, queue, confirmed});
  }
  result<acquire_outcome> enqueue(const user& u, const std::string& session) {
    return acquire(u, session, false, true);
  }
  result<bool> release(const user& u, bool force = false) { return locks_->release({appt_, u, force}); }
  result<time_point> ask(const user& admin, const std::string& session) {
    return locks_->request_control(appt_, admin, session);
  }

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
  // The stored control request of the appointment, if any.
  std::optional<control_request> pending() {
    std::optional<control_request> out;
    store_->transact([&](store_tx& tx) {
      out = tx.read_control(appt_);
      return false;
    });
    return out;
  }
  // The kinds of the lock events published since `from`, in order, as text.
  std::vector<std::string> kinds_since(std::size_t from) {
    static constexpr const char* names[] = {"acquired",      "refreshed",         "released",
                                            "expired",       "granted",           "taken_over",
                                            "queue_changed", "control_requested", "control_declined"};
    std::vector<std::string> out;
    const auto all = events_.lock_events();
    for (std::size_t i = from; i < all.size(); ++i) out.emplace_back(names[static_cast<int>(all[i].kind)]);
    return out;
  }
  // Alice holds the lock from tab-a (token 1) and carol has asked for it
  // from tab-c at t0 + 1 s.
  time_point alice_holds_and_carol_asks() {
    EXPECT_TRUE(succeeded(acquire(alice_, "tab-a")));
    clock_.advance(1s);
    const auto deadline = ask(carol_, "tab-c");
    EXPECT_TRUE(succeeded(deadline));
    return deadline.has_value() ? *deadline : time_point{};
  }

  user alice_, bob_, carol_, erin_;
  std::string appt_;
  std::unique_ptr<lock_service> locks_;
};

// ---- request_control -------------------------------------------------------

TEST_F(control_test, request_by_a_user_is_forbidden_whatever_the_lock) {
  EXPECT_TRUE(fails_with(ask(alice_, "tab-a"), errc::forbidden));  // free lock: the role is checked first
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  EXPECT_TRUE(fails_with(ask(bob_, "tab-b"), errc::forbidden));
  EXPECT_TRUE(fails_with(ask(alice_, "tab-a"), errc::forbidden));
  EXPECT_TRUE(fails_with(locks_->request_control("no-such", bob_, "tab-b"), errc::forbidden));
  EXPECT_FALSE(pending());
  EXPECT_TRUE(events_.lock_events(lock_event_kind::control_requested).empty());
  EXPECT_EQ(audit_of(appt_).size(), 1u);
}

TEST_F(control_test, request_rejects_unknown_appointments_bad_sessions_and_free_or_expired_locks) {
  EXPECT_TRUE(fails_with(locks_->request_control("no-such", carol_, "tab-c"), errc::not_found));
  EXPECT_TRUE(fails_with(ask(carol_, "tab-c"), errc::not_locked));
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  EXPECT_TRUE(fails_with(ask(carol_, ""), errc::bad_request));
  EXPECT_TRUE(fails_with(ask(carol_, std::string(129, 's')), errc::bad_request));
  // Past its expiry the lock is nobody's, even before expire_due has run.
  clock_.advance(ttl);
  EXPECT_TRUE(fails_with(ask(carol_, "tab-c"), errc::not_locked));
  EXPECT_FALSE(pending());
  EXPECT_TRUE(events_.lock_events(lock_event_kind::control_requested).empty());
}

TEST_F(control_test, request_by_the_admin_who_holds_the_lock_is_a_conflict) {
  ASSERT_TRUE(succeeded(acquire(carol_, "tab-c")));
  EXPECT_TRUE(fails_with(ask(carol_, "tab-c"), errc::conflict));
  EXPECT_TRUE(fails_with(ask(carol_, "tab-other"), errc::conflict));
  EXPECT_FALSE(pending());
}

TEST_F(control_test, request_returns_now_plus_grace_audits_and_tells_the_room_who_asks_whom) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(4s);
  std::optional<time_point> told;
  locks_->on_new_expiry([&](time_point t) { told = t; });
  const auto before = events_.size();

  const auto deadline = ask(carol_, "tab-c");
  ASSERT_TRUE(succeeded(deadline));
  EXPECT_EQ(to_millis(*deadline), to_millis(t0 + 4s + grace));

  const auto requested = events_.lock_events(lock_event_kind::control_requested);
  ASSERT_EQ(requested.size(), 1u);
  EXPECT_EQ(requested[0].appointment_id, appt_);
  ASSERT_TRUE(requested[0].by);
  EXPECT_EQ(requested[0].by->id, carol_.id);
  EXPECT_EQ(requested[0].by->email, "carol@example.com");
  ASSERT_TRUE(requested[0].previous_holder);
  EXPECT_EQ(requested[0].previous_holder->id, alice_.id);
  ASSERT_TRUE(requested[0].deadline);
  EXPECT_EQ(to_millis(*requested[0].deadline), to_millis(*deadline));
  EXPECT_EQ(kinds_since(before), std::vector<std::string>{"control_requested"});

  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, audit_action::control_requested);
  ASSERT_TRUE(audit[1].actor);
  EXPECT_EQ(audit[1].actor->id, carol_.id);
  ASSERT_TRUE(audit[1].previous_holder);
  EXPECT_EQ(audit[1].previous_holder->id, alice_.id);
  EXPECT_EQ(audit[1].reason, "request");
  EXPECT_EQ(to_millis(audit[1].at), to_millis(t0 + 4s));

  // The expiry timer is woken for the deadline, which comes before the lock's expiry.
  ASSERT_TRUE(told);
  EXPECT_EQ(to_millis(*told), to_millis(*deadline));
  ASSERT_TRUE(locks_->next_expiry());
  EXPECT_EQ(to_millis(*locks_->next_expiry()), to_millis(*deadline));

  // Asking changes nothing about the lock itself.
  EXPECT_EQ(current()->holder.id, alice_.id);
  EXPECT_EQ(current()->fencing_token, 1);
  const auto stored = pending();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->admin.id, carol_.id);
  EXPECT_EQ(stored->admin_session_id, "tab-c");
  EXPECT_EQ(stored->holder_token, 1);
}

TEST_F(control_test, the_same_admin_asking_again_gets_the_same_deadline_and_nothing_new) {
  const auto first = alice_holds_and_carol_asks();
  clock_.advance(10s);
  const auto again = ask(carol_, "tab-c");
  ASSERT_TRUE(succeeded(again));
  EXPECT_EQ(to_millis(*again), to_millis(first));
  EXPECT_EQ(events_.lock_events(lock_event_kind::control_requested).size(), 1u);
  EXPECT_EQ(audit_of(appt_).size(), 2u);
}

TEST_F(control_test, another_admin_asking_while_a_request_is_pending_is_a_conflict) {
  const auto deadline = alice_holds_and_carol_asks();
  EXPECT_TRUE(fails_with(ask(erin_, "tab-e"), errc::conflict));
  EXPECT_EQ(pending()->admin.id, carol_.id);
  EXPECT_EQ(to_millis(pending()->deadline), to_millis(deadline));
  EXPECT_EQ(events_.lock_events(lock_event_kind::control_requested).size(), 1u);
  EXPECT_EQ(audit_of(appt_).size(), 2u);
}

TEST_F(control_test, an_admin_may_ask_another_admin_for_control) {
  ASSERT_TRUE(succeeded(acquire(erin_, "tab-e")));
  ASSERT_TRUE(succeeded(ask(carol_, "tab-c")));
  clock_.advance(grace);
  locks_->expire_due();
  ASSERT_TRUE(current());
  EXPECT_EQ(current()->holder.id, carol_.id);
}

// ---- hand-over while a request is pending ------------------------------------

TEST_F(control_test, release_by_the_holder_hands_the_lock_to_the_asking_admin_before_the_line) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  ASSERT_TRUE(succeeded(enqueue(erin_, "tab-e")));  // an admin in line is still behind the request
  ASSERT_EQ(queue_ids(), (std::vector<std::string>{erin_.id, bob_.id}));
  clock_.advance(1s);
  ASSERT_TRUE(succeeded(ask(carol_, "tab-c")));
  clock_.advance(2s);
  const auto before = events_.size();

  const auto r = release(alice_);
  ASSERT_TRUE(succeeded(r));
  EXPECT_TRUE(*r);

  const auto held = current();
  ASSERT_TRUE(held);
  EXPECT_EQ(held->holder.id, carol_.id);
  EXPECT_EQ(held->session_id, "tab-c");
  EXPECT_EQ(held->fencing_token, 2);
  EXPECT_EQ(to_millis(held->acquired_at), to_millis(t0 + 3s));
  EXPECT_EQ(to_millis(held->expires_at), to_millis(t0 + 3s + ttl));
  EXPECT_EQ(queue_ids(), (std::vector<std::string>{erin_.id, bob_.id})) << "the line is left as it was";
  EXPECT_FALSE(pending());

  EXPECT_EQ(kinds_since(before), (std::vector<std::string>{"released", "granted"}));
  const auto granted = events_.lock_events(lock_event_kind::granted);
  ASSERT_EQ(granted.size(), 1u);
  ASSERT_TRUE(granted[0].lock);
  EXPECT_EQ(granted[0].lock->holder.id, carol_.id);
  EXPECT_EQ(granted[0].lock->session_id, "tab-c");
  EXPECT_EQ(granted[0].lock->fencing_token, 2);

  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 4u);  // acquired, control_requested, released, control_handed_over
  EXPECT_EQ(audit[2].action, audit_action::released);
  EXPECT_EQ(audit[2].reason, "user");
  EXPECT_EQ(audit[3].action, audit_action::control_handed_over);
  EXPECT_EQ(audit[3].actor->id, carol_.id);
  EXPECT_EQ(audit[3].previous_holder->id, alice_.id);
  EXPECT_EQ(audit[3].reason, "handed_over");

  // The line gets its turn after the admin, offered the lock: erin (admin) first, then bob.
  ASSERT_TRUE(succeeded(release(carol_)));
  EXPECT_FALSE(current());
  EXPECT_EQ(locks_->offer(appt_)->who.id, erin_.id);
  ASSERT_TRUE(succeeded(locks_->leave_queue(appt_, erin_, "tab-e")));
  EXPECT_EQ(locks_->offer(appt_)->who.id, bob_.id);
  EXPECT_EQ(locks_->offer(appt_)->session_id, "tab-b");
  EXPECT_TRUE(queue_ids().empty());
}

TEST_F(control_test, the_asking_admin_leaves_the_line_when_handed_the_lock) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(enqueue(carol_, "tab-c")));
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  ASSERT_TRUE(succeeded(ask(carol_, "tab-c")));
  ASSERT_TRUE(succeeded(release(alice_)));
  EXPECT_EQ(current()->holder.id, carol_.id);
  EXPECT_EQ(queue_ids(), std::vector<std::string>{bob_.id});
  EXPECT_EQ(events_.lock_events(lock_event_kind::queue_changed).back().queue.size(), 1u);
}

TEST_F(control_test, a_closed_tab_hands_the_lock_to_the_asking_admin_with_reason_disconnect) {
  alice_holds_and_carol_asks();
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  EXPECT_TRUE(locks_->release_session(appt_, alice_.id, "tab-a", "disconnect"));
  ASSERT_TRUE(current());
  EXPECT_EQ(current()->holder.id, carol_.id);
  EXPECT_EQ(current()->session_id, "tab-c");
  EXPECT_EQ(queue_ids(), std::vector<std::string>{bob_.id});
  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[2].action, audit_action::released);
  EXPECT_EQ(audit[2].reason, "disconnect");
  EXPECT_EQ(audit[3].action, audit_action::control_handed_over);
  EXPECT_EQ(audit[3].reason, "disconnect");
  EXPECT_EQ(audit[3].actor->id, carol_.id);
  EXPECT_EQ(audit[3].previous_holder->id, alice_.id);
}

TEST_F(control_test, an_expiry_before_the_deadline_hands_the_lock_to_the_asking_admin) {
  // A request made late in the lock's life: the lock runs out first.
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  clock_.advance(ttl - 10s);
  ASSERT_TRUE(succeeded(ask(carol_, "tab-c")));
  clock_.advance(10s);
  const auto before = events_.size();
  locks_->expire_due();

  ASSERT_TRUE(current());
  EXPECT_EQ(current()->holder.id, carol_.id);
  EXPECT_EQ(current()->session_id, "tab-c");
  EXPECT_EQ(to_millis(current()->expires_at), to_millis(t0 + ttl + ttl));
  EXPECT_EQ(queue_ids(), std::vector<std::string>{bob_.id});
  EXPECT_EQ(kinds_since(before), (std::vector<std::string>{"expired", "granted"}));
  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[2].action, audit_action::expired);
  EXPECT_EQ(audit[3].action, audit_action::control_handed_over);
  EXPECT_EQ(audit[3].reason, "expiry");
  EXPECT_EQ(audit[3].actor->id, carol_.id);
  EXPECT_EQ(audit[3].previous_holder->id, alice_.id);

  // The deadline that follows finds the request settled: nothing more happens.
  const auto after = events_.size();
  clock_.advance(grace);
  locks_->expire_due();
  EXPECT_EQ(events_.size(), after);
  EXPECT_EQ(current()->holder.id, carol_.id);
  EXPECT_EQ(audit_of(appt_).size(), 4u);
}

TEST_F(control_test, an_acquire_that_finds_the_lock_expired_hands_it_to_the_asking_admin_not_the_caller) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(ttl - 1s);
  ASSERT_TRUE(succeeded(ask(carol_, "tab-c")));
  clock_.advance(2s);
  const auto r = acquire(bob_, "tab-b");
  ASSERT_TRUE(fails_with(r, errc::lock_held));
  ASSERT_TRUE(r.err().holder);
  EXPECT_EQ(r.err().holder->holder.id, carol_.id);
  EXPECT_EQ(current()->holder.id, carol_.id);
}

// ---- the deadline ----------------------------------------------------------

TEST_F(control_test, at_the_deadline_an_idle_holder_loses_the_lock_to_the_admin) {
  const auto deadline = alice_holds_and_carol_asks();
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));

  // One millisecond before, nothing is due.
  clock_.set(deadline - 1ms);
  auto before = events_.size();
  locks_->expire_due();
  EXPECT_EQ(events_.size(), before);
  EXPECT_EQ(current()->holder.id, alice_.id);

  clock_.set(deadline);
  before = events_.size();
  locks_->expire_due();

  const auto held = current();
  ASSERT_TRUE(held);
  EXPECT_EQ(held->holder.id, carol_.id);
  EXPECT_EQ(held->session_id, "tab-c");
  EXPECT_EQ(held->fencing_token, 2);
  EXPECT_EQ(to_millis(held->expires_at), to_millis(deadline + ttl));
  EXPECT_FALSE(pending());
  EXPECT_EQ(queue_ids(), std::vector<std::string>{bob_.id});

  EXPECT_EQ(kinds_since(before), (std::vector<std::string>{"released", "granted"}));
  const auto released = events_.lock_events(lock_event_kind::released);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].reason, "control");
  ASSERT_TRUE(released[0].previous_holder);
  EXPECT_EQ(released[0].previous_holder->id, alice_.id);
  ASSERT_TRUE(released[0].by);
  EXPECT_EQ(released[0].by->id, carol_.id);
  const auto granted = events_.lock_events(lock_event_kind::granted);
  ASSERT_EQ(granted.size(), 1u);
  EXPECT_EQ(granted[0].lock->holder.id, carol_.id);

  const auto audit = audit_of(appt_);
  ASSERT_EQ(audit.size(), 3u);  // acquired, control_requested, control_handed_over
  EXPECT_EQ(audit[2].action, audit_action::control_handed_over);
  EXPECT_EQ(audit[2].reason, "deadline");
  EXPECT_EQ(audit[2].actor->id, carol_.id);
  EXPECT_EQ(audit[2].previous_holder->id, alice_.id);
  EXPECT_EQ(to_millis(audit[2].at), to_millis(deadline));

  // The old holder's tab has lost it.
  EXPECT_TRUE(fails_with(locks_->heartbeat(appt_, alice_, "tab-a"), errc::not_holder));
  // Settled once: running again changes nothing.
  before = events_.size();
  clock_.advance(1s);
  locks_->expire_due();
  EXPECT_EQ(events_.size(), before);
}

TEST_F(control_test, at_the_deadline_a_holder_who_kept_working_keeps_the_lock_and_the_admin_is_told) {
  const auto deadline = alice_holds_and_carol_asks();
  clock_.advance(5s);
  ASSERT_TRUE(succeeded(locks_->heartbeat(appt_, alice_, "tab-a")));
  clock_.set(deadline);
  const auto before = events_.size();
  locks_->expire_due();

  const auto held = current();
  ASSERT_TRUE(held);
  EXPECT_EQ(held->holder.id, alice_.id);
  EXPECT_EQ(held->session_id, "tab-a");
  EXPECT_EQ(held->fencing_token, 1);
  EXPECT_FALSE(pending());

  EXPECT_EQ(kinds_since(before), std::vector<std::string>{"control_declined"});
  const auto declined = events_.lock_events(lock_event_kind::control_declined);
  ASSERT_EQ(declined.size(), 1u);
  EXPECT_EQ(declined[0].appointment_id, appt_);
  ASSERT_TRUE(declined[0].by);
  EXPECT_EQ(declined[0].by->id, carol_.id);
  ASSERT_TRUE(declined[0].previous_holder);
  EXPECT_EQ(declined[0].previous_holder->id, alice_.id);
  ASSERT_TRUE(declined[0].deadline);
  EXPECT_EQ(to_millis(*declined[0].deadline), to_millis(deadline));
  EXPECT_EQ(audit_of(appt_).size(), 2u) << "a lapsed request adds no row";

  // The request is over: the admin may ask again, with a new deadline.
  clock_.advance(1s);
  const auto again = ask(carol_, "tab-c");
  ASSERT_TRUE(succeeded(again));
  EXPECT_EQ(to_millis(*again), to_millis(deadline + 1s + grace));
}

TEST_F(control_test, a_refreshing_acquire_by_the_holder_counts_as_working) {
  const auto deadline = alice_holds_and_carol_asks();
  clock_.advance(1s);
  const auto refreshed = acquire(alice_, "tab-a");
  ASSERT_TRUE(succeeded(refreshed));
  EXPECT_EQ(refreshed->what, kind::refreshed);
  clock_.set(deadline);
  locks_->expire_due();
  EXPECT_EQ(current()->holder.id, alice_.id);
  EXPECT_EQ(events_.lock_events(lock_event_kind::control_declined).size(), 1u);
}

TEST_F(control_test, activity_before_the_request_does_not_count) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  clock_.advance(2s);
  ASSERT_TRUE(succeeded(locks_->heartbeat(appt_, alice_, "tab-a")));
  clock_.advance(1s);
  const auto deadline = ask(carol_, "tab-c");
  ASSERT_TRUE(succeeded(deadline));
  clock_.set(*deadline);
  locks_->expire_due();
  EXPECT_EQ(current()->holder.id, carol_.id);
  EXPECT_TRUE(events_.lock_events(lock_event_kind::control_declined).empty());
}

// ---- requests that lapse ---------------------------------------------------

TEST_F(control_test, a_takeover_clears_a_pending_request) {
  const auto deadline = alice_holds_and_carol_asks();
  const auto taken = acquire(erin_, "tab-e", true);
  ASSERT_TRUE(succeeded(taken));
  EXPECT_EQ(taken->what, kind::taken_over);
  EXPECT_FALSE(pending());

  // The deadline passes without effect: erin keeps the lock, nobody is told anything.
  const auto before = events_.size();
  const auto rows = audit_of(appt_).size();
  clock_.set(deadline);
  locks_->expire_due();
  EXPECT_EQ(events_.size(), before);
  EXPECT_EQ(current()->holder.id, erin_.id);
  EXPECT_EQ(audit_of(appt_).size(), rows);

  // Erin's release does not go to carol's old request either.
  ASSERT_TRUE(succeeded(release(erin_)));
  EXPECT_FALSE(current());
}

TEST_F(control_test, a_takeover_by_the_asking_admin_clears_their_own_request) {
  const auto deadline = alice_holds_and_carol_asks();
  ASSERT_TRUE(succeeded(acquire(carol_, "tab-c", true)));
  EXPECT_FALSE(pending());
  const auto token = current()->fencing_token;
  clock_.set(deadline);
  const auto before = events_.size();
  locks_->expire_due();
  EXPECT_EQ(events_.size(), before);
  EXPECT_EQ(current()->fencing_token, token);
}

TEST_F(control_test, a_request_for_an_old_holder_lapses_when_the_lock_has_changed_hands) {
  // A request left behind for token 1 (e.g. written by another process) while
  // the lock has moved on to token 2.
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(release(alice_)));
  ASSERT_TRUE(succeeded(acquire(bob_, "tab-b")));
  ASSERT_EQ(current()->fencing_token, 2);
  const control_request stale{appt_, ref_of(carol_), "tab-c", t0, t0 + grace, 1};
  store_->transact([&](store_tx& tx) {
    tx.put_control(stale);
    return true;
  });

  // Another admin may ask: the stale request is not "pending" for bob's lock.
  clock_.advance(1s);
  const auto erins = ask(erin_, "tab-e");
  ASSERT_TRUE(succeeded(erins));
  EXPECT_EQ(pending()->admin.id, erin_.id);
  EXPECT_EQ(pending()->holder_token, 2);
}

TEST_F(control_test, a_stale_request_is_not_handed_the_lock_on_release_nor_at_its_deadline) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(release(alice_)));
  ASSERT_TRUE(succeeded(acquire(bob_, "tab-b")));
  ASSERT_TRUE(succeeded(enqueue(alice_, "tab-a")));
  store_->transact([&](store_tx& tx) {
    tx.put_control({appt_, ref_of(carol_), "tab-c", t0, t0 + grace, 1});
    return true;
  });
  // Its deadline: bob's lock is not the one asked for, so nothing happens but the clean-up.
  clock_.set(t0 + grace);
  const auto before = events_.size();
  locks_->expire_due();
  EXPECT_EQ(events_.size(), before);
  EXPECT_FALSE(pending());
  EXPECT_EQ(current()->holder.id, bob_.id);

  // Put back, then bob releases: the line wins, not the stale request.
  store_->transact([&](store_tx& tx) {
    tx.put_control({appt_, ref_of(carol_), "tab-c", t0, t0 + 2 * grace, 1});
    return true;
  });
  ASSERT_TRUE(succeeded(release(bob_)));
  EXPECT_FALSE(current());
  ASSERT_TRUE(locks_->offer(appt_));
  EXPECT_EQ(locks_->offer(appt_)->who.id, alice_.id);
  EXPECT_FALSE(pending());
  const auto audit = audit_of(appt_);
  EXPECT_EQ(audit.back().action, audit_action::offered);
  EXPECT_EQ(audit.back().reason, "queue");
}

TEST_F(control_test, a_request_lapses_when_the_lock_changes_hands_and_the_new_holder_is_not_asked) {
  // Alice hands over to carol; erin's later request is for carol's lock, and
  // carol's release does not bring the old request back to life.
  alice_holds_and_carol_asks();
  ASSERT_TRUE(succeeded(release(alice_)));
  ASSERT_EQ(current()->holder.id, carol_.id);
  EXPECT_FALSE(pending());
  ASSERT_TRUE(succeeded(enqueue(bob_, "tab-b")));
  ASSERT_TRUE(succeeded(release(carol_)));
  EXPECT_FALSE(current());  // offered to the line, not handed to an old request
  EXPECT_EQ(locks_->offer(appt_)->who.id, bob_.id);
}

// ---- takeover rules around control -------------------------------------------

TEST_F(control_test, a_takeover_of_an_admin_is_refused_with_the_holder) {
  ASSERT_TRUE(succeeded(acquire(carol_, "tab-c")));
  const auto r = acquire(erin_, "tab-e", true);
  ASSERT_TRUE(fails_with(r, errc::lock_held));
  ASSERT_TRUE(r.err().holder);
  EXPECT_EQ(r.err().holder->holder.id, carol_.id);
  EXPECT_EQ(current()->holder.id, carol_.id);
  EXPECT_TRUE(events_.lock_events(lock_event_kind::taken_over).empty());
}

TEST_F(control_test, a_takeover_names_the_token_it_confirmed_and_is_refused_when_it_moved_on) {
  ASSERT_TRUE(succeeded(acquire(alice_, "tab-a")));
  ASSERT_TRUE(succeeded(release(alice_)));
  ASSERT_TRUE(succeeded(acquire(bob_, "tab-b")));  // token 2
  const auto stale = acquire(carol_, "tab-c", true, false, 1);
  ASSERT_TRUE(fails_with(stale, errc::lock_held));
  EXPECT_EQ(stale.err().holder->holder.id, bob_.id);
  EXPECT_EQ(current()->holder.id, bob_.id);
  const auto fresh = acquire(carol_, "tab-c", true, false, 2);
  ASSERT_TRUE(succeeded(fresh));
  EXPECT_EQ(fresh->what, kind::taken_over);
  EXPECT_EQ(fresh->lock->fencing_token, 3);
}

TEST_F(control_test, a_takeover_by_a_user_is_forbidden_even_with_a_pending_request) {
  alice_holds_and_carol_asks();
  EXPECT_TRUE(fails_with(acquire(bob_, "tab-b", true), errc::forbidden));
  EXPECT_TRUE(pending());
  EXPECT_EQ(current()->holder.id, alice_.id);
}

}  // namespace
}  // namespace slotlock::unit
