#pragma once
// Expires locks on time: one timer set to the earliest expiry in the store,
// woken early when a grant brings a sooner one. No polling.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/system_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <optional>

#include "domain/time.hpp"

namespace slotlock {

class lock_service;

class expiry_timer {
 public:
  expiry_timer(boost::asio::io_context& ioc, boost::asio::thread_pool& blocking, lock_service& locks);
  void start();
  void stop();
  // Something (a grant, a control request) is due at `t`, perhaps on another
  // process: wake by then. Thread-safe.
  void notice(time_point t);

 private:
  boost::asio::awaitable<void> run();
  void wake_by(time_point t);

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::system_timer timer_;
  boost::asio::thread_pool& blocking_;
  lock_service& locks_;
  time_point target_{};
  // Expiries announced while the store was being read; they may be missing
  // from what was read.
  std::optional<time_point> hint_;
  bool waiting_ = false;
  bool stopped_ = false;
};

}  // namespace slotlock
