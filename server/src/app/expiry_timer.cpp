#include "app/expiry_timer.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "domain/lock_service.hpp"
#include "runtime/blocking.hpp"

namespace slotlock {

namespace asio = boost::asio;

namespace {
// With nothing held, look again now and then anyway: another process sharing
// the store may have granted a lock we were not told about.
constexpr auto idle_wait = std::chrono::seconds(30);
constexpr auto retry_after_failure = std::chrono::seconds(1);
}  // namespace

expiry_timer::expiry_timer(asio::io_context& ioc, asio::thread_pool& blocking, lock_service& locks)
    : strand_(asio::make_strand(ioc)), timer_(strand_), blocking_(blocking), locks_(locks) {}

void expiry_timer::start() {
  locks_.on_new_expiry([this](time_point t) { notice(t); });
  asio::co_spawn(strand_, run(), asio::detached);
}

void expiry_timer::notice(time_point t) {
  asio::post(strand_, [this, t] { wake_by(t); });
}

void expiry_timer::stop() {
  asio::post(strand_, [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

void expiry_timer::wake_by(time_point t) {
  if (!hint_ || t < *hint_) hint_ = t;
  if (waiting_ && t < target_) timer_.cancel();
}

asio::awaitable<void> expiry_timer::run() {
  while (!stopped_) {
    hint_.reset();
    try {
      co_await offload(blocking_, [this] { locks_.expire_due(); });
      const auto next = co_await offload(blocking_, [this] { return locks_.next_expiry(); });
      const auto now = std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
      target_ = next ? std::min(*next, now + idle_wait) : now + idle_wait;
    } catch (const std::exception& e) {
      spdlog::error("expiring locks failed, trying again shortly: {}", e.what());
      target_ = std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now()) + retry_after_failure;
    }
    if (hint_) target_ = std::min(target_, *hint_);
    timer_.expires_at(target_);
    waiting_ = true;
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    waiting_ = false;
  }
}

}  // namespace slotlock
