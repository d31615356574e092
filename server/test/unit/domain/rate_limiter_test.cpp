#include "domain/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "fixture.hpp"

namespace slotlock::unit {
namespace {

using namespace std::chrono_literals;

rate_limiter::limits limits(double burst, double per_second, std::size_t max_keys = 100'000) {
  rate_limiter::limits l;
  l.burst = burst;
  l.per_second = per_second;
  l.max_keys = max_keys;
  return l;
}

TEST(rate_limiter, allows_a_burst_then_asks_to_wait) {
  manual_clock clock(t0);
  rate_limiter limiter(clock, limits(3, 1));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.take("k"), 0) << i;
  EXPECT_EQ(limiter.take("k"), 1);
  EXPECT_EQ(limiter.take("k"), 1);  // a refused take consumes nothing
}

TEST(rate_limiter, wait_is_whole_seconds_rounded_up_and_at_least_one) {
  manual_clock clock(t0);
  rate_limiter slow(clock, limits(1, 0.25));
  EXPECT_EQ(slow.take("k"), 0);
  EXPECT_EQ(slow.take("k"), 4);
  clock.advance(1500ms);
  EXPECT_EQ(slow.take("k"), 3);  // 2.5 s left

  rate_limiter fast(clock, limits(1, 100));
  EXPECT_EQ(fast.take("k"), 0);
  EXPECT_EQ(fast.take("k"), 1);  // 10 ms, reported as 1 s
}

TEST(rate_limiter, refills_with_time_up_to_the_burst) {
  manual_clock clock(t0);
  rate_limiter limiter(clock, limits(3, 1));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(limiter.take("k"), 0);
  ASSERT_NE(limiter.take("k"), 0);
  clock.advance(999ms);
  EXPECT_NE(limiter.take("k"), 0);
  clock.advance(1ms);
  EXPECT_EQ(limiter.take("k"), 0);
  EXPECT_NE(limiter.take("k"), 0);

  // A long pause refills only to the burst.
  clock.advance(1h);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.take("k"), 0) << i;
  EXPECT_NE(limiter.take("k"), 0);
}

TEST(rate_limiter, keys_have_their_own_buckets) {
  manual_clock clock(t0);
  rate_limiter limiter(clock, limits(2, 1));
  EXPECT_EQ(limiter.take("a"), 0);
  EXPECT_EQ(limiter.take("a"), 0);
  EXPECT_NE(limiter.take("a"), 0);
  EXPECT_EQ(limiter.take("b"), 0);
  EXPECT_EQ(limiter.take("b"), 0);
}

TEST(rate_limiter, wait_time_does_not_consume) {
  manual_clock clock(t0);
  rate_limiter limiter(clock, limits(2, 1));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(limiter.wait_time("k"), 0);
  EXPECT_EQ(limiter.take("k"), 0);
  EXPECT_EQ(limiter.take("k"), 0);
  EXPECT_EQ(limiter.wait_time("k"), 1);
  EXPECT_EQ(limiter.wait_time("k"), 1);
  EXPECT_EQ(limiter.take("k"), 1);
  clock.advance(1s);
  EXPECT_EQ(limiter.wait_time("k"), 0);
  EXPECT_EQ(limiter.wait_time("k"), 0);
  EXPECT_EQ(limiter.take("k"), 0);
  EXPECT_EQ(limiter.wait_time("k"), 1);
}

TEST(rate_limiter, a_flood_of_keys_stays_bounded_by_forgetting_the_oldest) {
  manual_clock clock(t0);
  rate_limiter limiter(clock, limits(1, 0.001, 4));
  ASSERT_EQ(limiter.take("first"), 0);
  ASSERT_NE(limiter.take("first"), 0);
  // Thousands of drained keys later, with at most 4 kept, "first" has been
  // forgotten: memory did not grow with the flood.
  for (int i = 0; i < 5000; ++i) {
    clock.advance(1ms);
    limiter.take("flood-" + std::to_string(i));
  }
  EXPECT_EQ(limiter.take("first"), 0);
}

TEST(rate_limiter, pruning_keeps_the_newest_drained_buckets) {
  manual_clock clock(t0);
  rate_limiter limiter(clock, limits(2, 0.001, 4));
  for (const char* k : {"old1", "old2", "old3"}) ASSERT_EQ(limiter.take(k), 0);
  clock.advance(1s);
  ASSERT_EQ(limiter.take("hot"), 0);
  ASSERT_EQ(limiter.take("hot"), 0);
  ASSERT_NE(limiter.take("hot"), 0);
  // Full now (4 keys): the next new key makes room by dropping the oldest.
  clock.advance(1s);
  EXPECT_EQ(limiter.take("new"), 0);
  EXPECT_NE(limiter.take("hot"), 0);
}

TEST(rate_limiter, pruning_first_drops_buckets_that_are_full_again) {
  manual_clock clock(t0);
  rate_limiter limiter(clock, limits(10, 1, 3));
  for (int i = 0; i < 10; ++i) ASSERT_EQ(limiter.take("drained"), 0);
  clock.advance(100ms);
  ASSERT_EQ(limiter.take("light1"), 0);  // full again a second later
  ASSERT_EQ(limiter.take("light2"), 0);
  clock.advance(1100ms);
  // The map is full: the two refilled buckets make room; the drained one,
  // though the oldest, is kept (1.2 tokens, not a fresh 10).
  EXPECT_EQ(limiter.take("new"), 0);
  EXPECT_EQ(limiter.take("drained"), 0);
  EXPECT_NE(limiter.take("drained"), 0);
}

TEST(rate_limiter, give_back_returns_one_token_never_more_than_the_burst) {
  manual_clock clock(t0);
  rate_limiter limiter(clock, limits(2, 0.001));
  ASSERT_EQ(limiter.take("k"), 0);
  ASSERT_EQ(limiter.take("k"), 0);
  ASSERT_NE(limiter.take("k"), 0);
  limiter.give_back("k");
  EXPECT_EQ(limiter.take("k"), 0);
  EXPECT_NE(limiter.take("k"), 0);
  limiter.give_back("k");
  limiter.give_back("k");
  limiter.give_back("k");  // capped at the burst
  EXPECT_EQ(limiter.take("k"), 0);
  EXPECT_EQ(limiter.take("k"), 0);
  EXPECT_NE(limiter.take("k"), 0);
  limiter.give_back("never-taken");  // nothing to return: no bucket appears
  EXPECT_EQ(limiter.take("never-taken"), 0);
}

}  // namespace
}  // namespace slotlock::unit
