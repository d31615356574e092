#include "domain/disconnect_grace.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "domain/lock_service.hpp"
#include "fixture.hpp"

namespace slotlock::unit {
namespace {

using namespace std::chrono_literals;
using tab = disconnect_graces::tab;

const tab alice_tab{"appt-1", "u-alice", "tab-a"};
const tab bob_tab{"appt-1", "u-bob", "tab-b"};

TEST(disconnect_graces, a_grace_runs_out_after_its_length_and_only_once) {
  disconnect_graces g(15s);
  g.start(alice_tab, t0);
  EXPECT_TRUE(g.take_expired(t0 + 14999ms).empty());
  const auto out = g.take_expired(t0 + 15s);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].who, alice_tab);
  EXPECT_EQ(out[0].gone_since, t0);  // what release_session compares REST activity with
  EXPECT_TRUE(g.take_expired(t0 + 60s).empty());
  EXPECT_EQ(g.size(), 0u);
}

TEST(disconnect_graces, a_tab_back_in_time_is_never_released) {
  disconnect_graces g(15s);
  g.start(alice_tab, t0);
  EXPECT_TRUE(g.cancel(alice_tab));
  EXPECT_FALSE(g.cancel(alice_tab));
  EXPECT_TRUE(g.take_expired(t0 + 1h).empty());
}

TEST(disconnect_graces, closing_again_restarts_the_clock_from_the_last_close) {
  disconnect_graces g(15s);
  g.start(alice_tab, t0);
  g.start(alice_tab, t0 + 10s);
  EXPECT_TRUE(g.take_expired(t0 + 20s).empty());
  const auto out = g.take_expired(t0 + 25s);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].gone_since, t0 + 10s);
}

TEST(disconnect_graces, tabs_run_out_oldest_first_and_independently) {
  disconnect_graces g(15s);
  g.start(bob_tab, t0 + 1s);
  g.start(alice_tab, t0);
  g.start({"appt-2", "u-alice", "tab-a"}, t0 + 30s);  // the same tab in another room is another clock
  const auto out = g.take_expired(t0 + 16s);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].who, alice_tab);
  EXPECT_EQ(out[1].who, bob_tab);
  EXPECT_EQ(g.size(), 1u);
  g.clear();
  EXPECT_TRUE(g.take_expired(t0 + 1h).empty());
}

// The rule end to end with the lock service: silent since the close, the lock goes with reason
// "disconnect"; used over REST after the close, it stays.
class release_after_grace_test : public domain_test {
 protected:
  release_after_grace_test() {
    alice_ = add_user("alice");
    appt_ = add_appointment();
    lock_settings s;
    s.attempts_per_second = 1e6;
    locks_ = std::make_unique<lock_service>(*store_, clock_, bus_, s);
  }
  // Alice holds the lock; her tab closes now and, after `later`, its grace is taken as expired.
  disconnect_graces::expired grace_of_a_closed_tab(milliseconds during, milliseconds later,
                                                   bool heartbeat_during = false) {
    EXPECT_TRUE(succeeded(locks_->acquire({appt_, alice_, "tab-a", false, false})));
    clock_.advance(1s);  // she worked a while (activity in the close's own millisecond counts as after it)
    graces_.start({appt_, alice_.id, "tab-a"}, clock_.now());
    clock_.advance(during);
    if (heartbeat_during) {
      EXPECT_TRUE(succeeded(locks_->heartbeat(appt_, alice_, "tab-a")));
    }
    clock_.advance(later);
    const auto due = graces_.take_expired(clock_.now());
    EXPECT_EQ(due.size(), 1u);
    return due.empty() ? disconnect_graces::expired{} : due[0];
  }
  bool held() {
    auto status = locks_->status(appt_);
    EXPECT_TRUE(status);
    return status && status->has_value();
  }

  user alice_;
  std::string appt_;
  std::unique_ptr<lock_service> locks_;
  disconnect_graces graces_{15s};
};

TEST_F(release_after_grace_test, a_silent_tab_loses_its_lock_when_the_grace_runs_out) {
  EXPECT_TRUE(release_after_grace(*locks_, grace_of_a_closed_tab(5s, 10s)));
  EXPECT_FALSE(held());
  const auto released = events_.lock_events(lock_event_kind::released);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].reason, "disconnect");
}

TEST_F(release_after_grace_test, activity_in_the_very_millisecond_of_the_close_counts_as_after_it) {
  // The close is noticed first; a heartbeat answered in the same millisecond came after it.
  EXPECT_TRUE(succeeded(locks_->acquire({appt_, alice_, "tab-a", false, false})));
  clock_.advance(1s);
  graces_.start({appt_, alice_.id, "tab-a"}, clock_.now());
  EXPECT_TRUE(succeeded(locks_->heartbeat(appt_, alice_, "tab-a")));
  clock_.advance(15s);
  const auto due = graces_.take_expired(clock_.now());
  ASSERT_EQ(due.size(), 1u);
  EXPECT_FALSE(release_after_grace(*locks_, due[0]));
  EXPECT_TRUE(held());
}

TEST_F(release_after_grace_test, a_tab_used_over_rest_during_the_grace_keeps_its_lock) {
  EXPECT_FALSE(release_after_grace(*locks_, grace_of_a_closed_tab(5s, 10s, true)));
  EXPECT_TRUE(held());
}

}  // namespace
}  // namespace slotlock::unit
