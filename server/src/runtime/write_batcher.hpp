#pragma once
// Group commit. Writes (lock calls, saves, tickets) are handed to one thread per store, which
// takes everything queued, runs it in one store transaction (store::run_batch: a savepoint
// each), commits once, and only then answers every request in the batch — on each request's
// own executor. One wake-up of the writer per batch rather than a thread hand-off per request,
// and one commit for many writes; an answer still means committed (kill -9 loses nothing
// acknowledged). A failed commit fails the whole batch (store_error: 503).

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace slotlock {

class store;

class write_batcher {
 public:
  // At most `max_batch` writes in one transaction: a long queue is committed in parts, so
  // no answer waits for more than that many writes.
  // Past `max_queued` writes waiting, a new one is refused at once with busy_error (503
  // SERVER_BUSY) rather than queued: the line, and so every answer's wait, stays bounded.
  explicit write_batcher(store& s, std::size_t max_batch = 256, std::size_t max_queued = 4096);
  ~write_batcher();
  write_batcher(const write_batcher&) = delete;
  write_batcher& operator=(const write_batcher&) = delete;

  // Runs `work` (store calls) in the next batch and resumes the caller on its own executor
  // with the result once the batch committed. Exceptions from `work`, a failed commit and a
  // full queue (busy_error) are rethrown in the caller.
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> run(F work);

  // Finishes what is queued, then stops the thread. Later run() calls fail with store_error.
  void stop();

  // Batches committed and writes in them, since the start.
  std::uint64_t batches() const;
  std::uint64_t writes() const;

 private:
  struct job {
    virtual ~job() = default;
    virtual void run() noexcept = 0;
    // Resumes the caller: with `failure` when the batch failed, else with run()'s outcome.
    virtual void complete(std::exception_ptr failure) = 0;
  };
  template <class F, class Handler>
  struct job_of;

  void enqueue(std::unique_ptr<job> j);
  void loop();

  store& store_;
  std::size_t max_batch_;
  std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable queued_;
  std::vector<std::unique_ptr<job>> queue_;
  bool stopping_ = false;
  std::uint64_t batches_ = 0;
  std::uint64_t writes_ = 0;
  std::thread thread_;
};

template <class F, class Handler>
struct write_batcher::job_of final : job {
  using R = std::invoke_result_t<F>;
  job_of(F w, Handler h) : work(std::move(w)), handler(std::move(h)) {}

  void run() noexcept override {
    try {
      result.emplace(work());
    } catch (...) {
      error = std::current_exception();
    }
  }
  void complete(std::exception_ptr failure) override {
    auto ex = boost::asio::get_associated_executor(handler);
    boost::asio::post(ex, [h = std::move(handler), e = failure ? failure : error,
                           r = failure ? std::optional<R>() : std::move(result)]() mutable { h(e, std::move(r)); });
  }

  F work;
  Handler handler;
  std::optional<R> result;
  std::exception_ptr error;
};

template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> write_batcher::run(F work) {
  using R = std::invoke_result_t<F>;
  static_assert(!std::is_void_v<R>, "a write returns what it did");
  auto out = co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                                  void(std::exception_ptr, std::optional<R>)>(
      [this](auto handler, F w) {
        enqueue(std::make_unique<job_of<F, decltype(handler)>>(std::move(w), std::move(handler)));
      },
      boost::asio::use_awaitable, std::move(work));
  co_return std::move(*out);
}

}  // namespace slotlock
