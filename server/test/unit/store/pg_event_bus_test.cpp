#include "store/postgres/pg_event_bus.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "pg_test_db.hpp"
#include "store/postgres/pg_store.hpp"
#include "store_test_support.hpp"

namespace slotlock::unit {
namespace {

lock_record sample_lock() {
  lock_record l;
  l.appointment_id = "appt-1";
  l.holder = {"u-alice", "Alice \"A\" Archer", "alice@example.com"};
  l.holder_role = role::admin;
  l.session_id = "tab-1";
  l.acquired_at = t0;
  l.last_activity_at = t0 + std::chrono::seconds(1);
  l.expires_at = t0 + std::chrono::minutes(5);
  l.fencing_token = 42;
  return l;
}

TEST(EventCodecTest, LockEventsRoundTrip) {
  lock_event e;
  e.kind = lock_event_kind::taken_over;
  e.appointment_id = "appt-1";
  e.lock = sample_lock();
  e.previous_holder = user_ref{"u-bob", "Bob", "bob@example.com"};
  e.by = user_ref{"u-carol", "Carol", "carol@example.com"};
  e.reason = "takeover";
  e.deadline = t0 + std::chrono::seconds(30);
  const auto back = decode_event(encode_event(e));
  ASSERT_TRUE(back);
  const auto& l = std::get<lock_event>(*back);
  EXPECT_EQ(l.kind, lock_event_kind::taken_over);
  ASSERT_TRUE(l.lock);
  EXPECT_EQ(l.lock->holder.name, "Alice \"A\" Archer");
  EXPECT_EQ(l.lock->holder_role, role::admin);
  EXPECT_EQ(l.lock->fencing_token, 42);
  EXPECT_EQ(l.lock->expires_at, t0 + std::chrono::minutes(5));
  EXPECT_EQ(l.lock->appointment_id, "appt-1");
  EXPECT_EQ(l.previous_holder->id, "u-bob");
  EXPECT_EQ(l.by->email, "carol@example.com");
  EXPECT_EQ(l.reason, "takeover");
  EXPECT_EQ(l.deadline, t0 + std::chrono::seconds(30));

  const auto saved = decode_event(encode_event(appointment_updated{"appt-2", 7, {"u-bob", "Bob", "b@x"}}));
  ASSERT_TRUE(saved);
  EXPECT_EQ(std::get<appointment_updated>(*saved).version, 7);
  EXPECT_FALSE(decode_event("not json"));
  EXPECT_FALSE(decode_event(R"({"t":"l","k":99,"a":"x"})"));
}

TEST(EventCodecTest, AFullLineOfLongNamesStaysUnderTheNotifyLimit) {
  lock_event e;
  e.kind = lock_event_kind::queue_changed;
  e.appointment_id = "appt-1";
  for (int i = 0; i < 50; ++i)
    e.queue.push_back({"appt-1",
                       {"u-" + std::to_string(i), std::string(200, 'n'), std::string(100, 'e')},
                       role::user,
                       "tab-" + std::to_string(i),
                       t0});
  const auto text = encode_event(e);
  EXPECT_LE(text.size(), max_notify_payload);
  bool omitted = false;
  const auto back = decode_event(text, &omitted);
  ASSERT_TRUE(back);
  EXPECT_TRUE(omitted);  // read from the store on arrival instead

  e.queue.resize(3);
  omitted = true;
  const auto small = decode_event(encode_event(e), &omitted);
  EXPECT_FALSE(omitted);
  EXPECT_EQ(std::get<lock_event>(*small).queue.size(), 3u);
}

class PgEventBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto base = test_pg_url();
    if (!base) GTEST_SKIP() << no_test_pg;
    schema_.emplace(*base);
    store_ = std::make_unique<pg_store>(schema_->url());
    channel_ = "test_" + schema_->name();  // tests running at once share the database
  }

  template <class Pred>
  bool wait_for(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  std::optional<pg_test_schema> schema_;
  std::unique_ptr<store> store_;
  std::string channel_;
};

struct collected {
  std::mutex mutex;
  std::vector<std::string> ids;
  void add(const event& e) {
    std::lock_guard g(mutex);
    ids.push_back(std::get<appointment_updated>(e).appointment_id);
  }
  std::vector<std::string> get() {
    std::lock_guard g(mutex);
    return ids;
  }
};

TEST_F(PgEventBusTest, EveryProcessIncludingThePublisherGetsCommittedEventsInOrder) {
  pg_event_bus a(schema_->url(), *store_, channel_);
  pg_event_bus b(schema_->url(), *store_, channel_);
  ASSERT_TRUE(a.listening());
  ASSERT_TRUE(b.listening());
  collected on_a, on_b;
  a.subscribe([&](const event& e) { on_a.add(e); });
  b.subscribe([&](const event& e) { on_b.add(e); });

  store_->transact([&](store_tx& tx) {
    a.publish_in(tx, appointment_updated{"rolled-back", 2, {}});
    return false;
  });
  for (const char* id : {"first", "second", "third"}) {
    store_->transact([&](store_tx& tx) {
      a.publish_in(tx, appointment_updated{id, 2, {}});
      return true;
    });
  }
  b.publish(appointment_updated{"fourth", 2, {}});
  const std::vector<std::string> expected{"first", "second", "third", "fourth"};
  EXPECT_TRUE(wait_for([&] { return on_a.get().size() >= 4 && on_b.get().size() >= 4; }));
  EXPECT_EQ(on_a.get(), expected);
  EXPECT_EQ(on_b.get(), expected);
}

TEST_F(PgEventBusTest, ALostListenConnectionReconnectsAndAsksForAResync) {
  pg_event_bus bus(schema_->url(), *store_, channel_);
  std::atomic<int> resyncs{0};
  bus.on_resync([&] { ++resyncs; });
  collected got;
  bus.subscribe([&](const event& e) { got.add(e); });

  pg_connection admin(schema_->url());
  admin.exec("cut",
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
             " AND application_name = '" +
                 schema_->name() + "' AND query LIKE 'LISTEN%'");
  EXPECT_TRUE(wait_for([&] { return resyncs.load() == 1 && bus.listening(); }, std::chrono::seconds(15)));
  bus.publish(appointment_updated{"after", 2, {}});
  EXPECT_TRUE(wait_for([&] { return got.get().size() == 1; }));
}

struct heard {
  std::mutex mutex;
  std::vector<std::string> payloads;
  void add(std::string_view p) {
    std::lock_guard g(mutex);
    payloads.emplace_back(p);
  }
  std::vector<std::string> get() {
    std::lock_guard g(mutex);
    return payloads;
  }
};

TEST_F(PgEventBusTest, BroadcastsReachEveryProcessInTheSendersOrderAndNotTheEventSubscribers) {
  pg_event_bus a(schema_->url(), *store_, channel_);
  pg_event_bus b(schema_->url(), *store_, channel_);
  heard on_a, on_b;
  collected events;
  a.on_broadcast([&](std::string_view p) { on_a.add(p); });
  b.on_broadcast([&](std::string_view p) { on_b.add(p); });
  b.subscribe([&](const event& e) { events.add(e); });

  std::vector<std::string> sent;
  for (int i = 0; i < 500; ++i) sent.push_back(R"({"n":)" + std::to_string(i) + "}");  // several batches
  a.broadcast(std::string(max_notify_payload + 1, 'x'));  // refused, and costs the others nothing
  for (const auto& p : sent) a.broadcast(p);
  EXPECT_TRUE(wait_for([&] { return on_a.get().size() >= 500 && on_b.get().size() >= 500; }));
  EXPECT_EQ(on_a.get(), sent);
  EXPECT_EQ(on_b.get(), sent);
  EXPECT_TRUE(events.get().empty());
}

TEST_F(PgEventBusTest, ABroadcastQueuedJustBeforeStopStillGoes) {
  pg_event_bus listener(schema_->url(), *store_, channel_);
  heard got;
  listener.on_broadcast([&](std::string_view p) { got.add(p); });
  {
    pg_event_bus leaving(schema_->url(), *store_, channel_);
    leaving.broadcast("goodbye");
    leaving.stop();
  }
  EXPECT_TRUE(wait_for([&] { return got.get().size() == 1; }));
  EXPECT_EQ(got.get(), std::vector<std::string>{"goodbye"});
}

}  // namespace
}  // namespace slotlock::unit
