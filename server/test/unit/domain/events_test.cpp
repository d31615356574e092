#include "domain/events.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace slotlock {
namespace {

TEST(in_process_event_bus, delivers_every_event_to_every_subscriber_in_order) {
  in_process_event_bus bus;
  std::vector<std::string> first, second;
  bus.subscribe([&](const event& e) { first.push_back(std::get<lock_event>(e).appointment_id); });
  bus.subscribe([&](const event& e) { second.push_back(std::get<lock_event>(e).appointment_id); });
  for (const char* id : {"a", "b", "c"}) {
    lock_event e;
    e.appointment_id = id;
    bus.publish(e);
  }
  EXPECT_EQ(first, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(second, first);
}

TEST(in_process_event_bus, an_event_published_before_anyone_subscribed_is_not_delivered_later) {
  in_process_event_bus bus;
  bus.publish(appointment_updated{"before", 2, {}});
  std::vector<std::string> seen;
  bus.subscribe([&](const event& e) { seen.push_back(std::get<appointment_updated>(e).appointment_id); });
  bus.publish(appointment_updated{"after", 3, {}});
  EXPECT_EQ(seen, std::vector<std::string>{"after"});
}

TEST(in_process_event_bus, a_handler_may_subscribe_or_publish_without_deadlock) {
  in_process_event_bus bus;
  int seen = 0;
  bool subscribed = false;
  bus.subscribe([&](const event& e) {
    ++seen;
    if (!subscribed) {
      subscribed = true;
      bus.subscribe([&](const event&) { ++seen; });
      bus.publish(appointment_updated{"nested", 1, {}});
    }
    (void)e;
  });
  bus.publish(appointment_updated{"a", 2, {}});
  // Outer delivery (1), nested publish to both handlers (2).
  EXPECT_EQ(seen, 3);
}

}  // namespace
}  // namespace slotlock
