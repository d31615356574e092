// Group commit (runtime/write_batcher): many writes in flight share a commit, each caller gets
// its own result or exception, and nothing is answered before it is committed.

#include "runtime/write_batcher.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <filesystem>
#include <future>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace slotlock::unit {
namespace {

namespace asio = boost::asio;

class write_batcher_test : public ::testing::Test {
 protected:
  write_batcher_test()
      : path_((std::filesystem::temp_directory_path() /
               ("slotlock-batcher-" + std::to_string(std::random_device{}()) + ".db"))
                  .string()),
        store_(path_) {
    user u;
    u.id = "u1";
    u.email = "one@example.com";
    u.name = "One";
    EXPECT_TRUE(store_.create_user(u));
  }
  ~write_batcher_test() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  std::string path_;
  sqlite_store store_;
  time_point t0 = time_point{} + std::chrono::hours(24 * 365 * 56);
};

TEST_F(write_batcher_test, writes_in_flight_share_commits_and_each_gets_its_own_answer) {
  constexpr int writes = 300;
  asio::io_context ioc;
  write_batcher batcher(store_);
  std::vector<int> answers(writes, -1);
  std::vector<bool> committed_when_answered(writes, false);
  sqlite_store observer(path_);  // another connection: sees only what is committed
  for (int i = 0; i < writes; ++i) {
    asio::co_spawn(
        ioc,
        [&, i]() -> asio::awaitable<void> {
          const auto hash = "hash-" + std::to_string(i);
          answers[i] = co_await batcher.run([&] {
            store_.create_auth_session({hash, "u1", t0, t0 + std::chrono::hours(1)});
            return i;
          });
          committed_when_answered[i] = observer.find_session_user(hash, t0).has_value();
        },
        asio::detached);
  }
  ioc.run();
  for (int i = 0; i < writes; ++i) {
    EXPECT_EQ(answers[i], i);
    EXPECT_TRUE(committed_when_answered[i]) << "write " << i << " was answered before it was committed";
  }
  EXPECT_EQ(batcher.writes(), static_cast<std::uint64_t>(writes));
  EXPECT_LT(batcher.batches(), batcher.writes() / 2) << "writes queued together were committed together";
}

TEST_F(write_batcher_test, a_failing_write_fails_alone) {
  asio::io_context ioc;
  write_batcher batcher(store_);
  std::string failed;
  bool other_done = false;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        try {
          co_await batcher.run([&]() -> int {
            store_.transact([&](store_tx& tx) -> bool {
              tx.append_audit({0, t0, "", audit_action::acquired, std::nullopt, std::nullopt, "doomed"});
              throw std::runtime_error("the write failed");
            });
            return 0;
          });
        } catch (const std::runtime_error& e) {
          failed = e.what();
        }
      },
      asio::detached);
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        other_done = co_await batcher.run([&] {
          store_.create_auth_session({"kept", "u1", t0, t0 + std::chrono::hours(1)});
          return true;
        });
      },
      asio::detached);
  ioc.run();
  EXPECT_EQ(failed, "the write failed");
  EXPECT_TRUE(other_done);
  EXPECT_TRUE(store_.find_session_user("kept", t0));
  EXPECT_TRUE(store_.list_audit({}).empty()) << "the failed write left nothing behind";
}

TEST_F(write_batcher_test, after_stop_a_write_is_refused_not_lost_silently) {
  asio::io_context ioc;
  write_batcher batcher(store_);
  batcher.stop();
  bool refused = false;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        try {
          co_await batcher.run([] { return 1; });
        } catch (const store_error&) {
          refused = true;
        }
      },
      asio::detached);
  ioc.run();
  EXPECT_TRUE(refused);
}

TEST_F(write_batcher_test, a_full_queue_refuses_at_once_instead_of_growing) {
  asio::io_context ioc;
  write_batcher batcher(store_, 256, 2);
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<bool> writer_busy{false};
  int answered = 0;
  int refused = 0;
  const auto write = [&](bool hold) -> asio::awaitable<void> {
    try {
      co_await batcher.run([&, hold] {
        if (hold) {
          writer_busy = true;
          released.wait();  // keeps the writer in this batch while more arrive
        }
        return true;
      });
      ++answered;
    } catch (const busy_error&) {
      ++refused;
    }
  };
  asio::co_spawn(ioc, write(true), asio::detached);
  ioc.poll();
  while (!writer_busy) std::this_thread::yield();
  for (int i = 0; i < 3; ++i) asio::co_spawn(ioc, write(false), asio::detached);
  ioc.poll();  // two wait in the queue; the third is refused without waiting
  EXPECT_EQ(refused, 1);
  release.set_value();
  ioc.run();
  EXPECT_EQ(answered, 3);
  EXPECT_EQ(refused, 1);
}

}  // namespace
}  // namespace slotlock::unit
