#include "rooms/refresh_throttle.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace slotlock {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock::time_point;

const steady start{std::chrono::hours(1)};

frame_body refresh(const std::string& expires) { return std::make_shared<const std::string>(expires); }

TEST(refresh_throttle, the_first_refresh_goes_out_and_the_next_ones_wait_their_turn) {
  refresh_throttle t(3s);
  EXPECT_TRUE(t.offer("a", refresh("09:05"), start));
  EXPECT_FALSE(t.offer("a", refresh("09:06"), start + 1s));
  EXPECT_FALSE(t.offer("a", refresh("09:07"), start + 2s));  // replaces the one held back
  EXPECT_TRUE(t.due(start + 2999ms).empty());
  const auto due = t.due(start + 3s);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].first, "a");
  EXPECT_EQ(*due[0].second, "09:07") << "the newest expiry, once";
  EXPECT_TRUE(t.due(start + 10s).empty());
}

TEST(refresh_throttle, appointments_are_throttled_apart) {
  refresh_throttle t(3s);
  EXPECT_TRUE(t.offer("a", refresh("a1"), start));
  EXPECT_TRUE(t.offer("b", refresh("b1"), start + 1s));
}

TEST(refresh_throttle, a_newer_lock_state_drops_the_refresh_held_back) {
  refresh_throttle t(3s);
  EXPECT_TRUE(t.offer("a", refresh("held"), start));
  EXPECT_FALSE(t.offer("a", refresh("stale"), start + 1s));
  t.superseded("a");  // released meanwhile: an expiry for a lock that ended would mislead
  EXPECT_TRUE(t.due(start + 5s).empty());
}

TEST(refresh_throttle, forgets_appointments_that_went_quiet) {
  refresh_throttle t(3s);
  EXPECT_TRUE(t.offer("a", refresh("a1"), start));
  EXPECT_EQ(t.size(), 1u);
  t.due(start + 31s);
  EXPECT_EQ(t.size(), 0u);
}

}  // namespace
}  // namespace slotlock
