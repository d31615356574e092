#include "runtime/write_batcher.hpp"

#include <spdlog/spdlog.h>

#include "domain/store.hpp"

namespace slotlock {

write_batcher::write_batcher(store& s, std::size_t max_batch, std::size_t max_queued)
    : store_(s), max_batch_(max_batch), max_queued_(max_queued), thread_([this] { loop(); }) {}

write_batcher::~write_batcher() { stop(); }

void write_batcher::stop() {
  {
    std::lock_guard g(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t write_batcher::batches() const {
  std::lock_guard g(mutex_);
  return batches_;
}

std::uint64_t write_batcher::writes() const {
  std::lock_guard g(mutex_);
  return writes_;
}

void write_batcher::enqueue(std::unique_ptr<job> j) {
  std::exception_ptr refusal;
  {
    std::lock_guard g(mutex_);
    if (stopping_) {
      refusal = std::make_exception_ptr(store_error("the server is stopping; the write was not made"));
    } else if (queue_.size() >= max_queued_) {
      refusal = std::make_exception_ptr(busy_error("too many writes are waiting; the write was not made"));
    } else {
      queue_.push_back(std::move(j));
      if (queue_.size() == 1) queued_.notify_one();  // the writer sleeps only on an empty queue
      return;
    }
  }
  j->complete(refusal);
}

void write_batcher::loop() {
  std::vector<std::unique_ptr<job>> batch;
  std::vector<std::function<void()>> runs;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      const auto n = std::min(queue_.size(), max_batch_);
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + n));
      queue_.erase(queue_.begin(), queue_.begin() + n);
    }
    runs.clear();
    for (const auto& j : batch) runs.emplace_back([&j] { j->run(); });
    std::exception_ptr failure;
    try {
      store_.run_batch(runs);
    } catch (const std::exception& e) {
      spdlog::error("a batch of {} writes failed, none was made: {}", batch.size(), e.what());
      failure = std::current_exception();
    }
    {
      std::lock_guard g(mutex_);
      ++batches_;
      writes_ += batch.size();
    }
    for (const auto& j : batch) j->complete(failure);
    batch.clear();
  }
}

}  // namespace slotlock
