#pragma once
// A thread pool that says no. At most `threads` jobs run and `max_waiting` more wait; past
// that, try_run() answers nullopt at once instead of queueing, so a flood of one kind of work
// (sign-ins: argon2id, ~64 MiB and tens of milliseconds each) is refused rather than piled
// up, and never holds the threads that the rest of the server's blocking work runs on.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <cstddef>
#include <optional>
#include <type_traits>

#include "runtime/blocking.hpp"

namespace slotlock {

class bounded_pool {
 public:
  bounded_pool(std::size_t threads, std::size_t max_waiting) : pool_(threads), capacity_(threads + max_waiting) {}

  // Runs `work` on the pool and resumes on the caller's executor with its result, or answers
  // nullopt without running it when the pool is full.
  template <class F>
  boost::asio::awaitable<std::optional<std::invoke_result_t<F>>> try_run(F work) {
    using R = std::invoke_result_t<F>;
    if (admitted_.fetch_add(1) >= capacity_) {
      --admitted_;
      co_return std::optional<R>{};
    }
    struct leave {
      std::atomic<std::size_t>& n;
      ~leave() { --n; }
    } guard{admitted_};
    co_return std::optional<R>(co_await offload(pool_, std::move(work)));
  }

  // Jobs running or waiting.
  std::size_t admitted() const { return admitted_.load(); }
  void join() { pool_.join(); }

 private:
  boost::asio::thread_pool pool_;
  std::size_t capacity_;
  std::atomic<std::size_t> admitted_{0};
};

}  // namespace slotlock
