#pragma once
// Store calls block (SQLite, libpq, argon2id). They run on a thread pool of
// their own so that no socket waits behind them; the awaiting coroutine
// resumes on its own executor (its connection's strand).

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace slotlock {

template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> offload(boost::asio::thread_pool& pool, F work) {
  using R = std::invoke_result_t<F>;
  using boost::asio::awaitable;
  if constexpr (std::is_void_v<R>) {
    co_await boost::asio::co_spawn(
        pool,
        [work = std::move(work)]() mutable -> awaitable<void> {
          work();
          co_return;
        },
        boost::asio::use_awaitable);
  } else {
    // co_spawn hands results through a default-constructed value; results
    // and errors have none, so they travel in an optional.
    auto out = co_await boost::asio::co_spawn(
        pool, [work = std::move(work)]() mutable -> awaitable<std::optional<R>> { co_return std::optional<R>(work()); },
        boost::asio::use_awaitable);
    co_return std::move(*out);
  }
}

}  // namespace slotlock
