#pragma once
// Durations of one operation (a store call, an HTTP route), counted without a lock (any thread may observe; a scrape
// may read a bucket a moment before the count, which Prometheus tolerates).

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>

namespace slotlock {

class latency_histogram {
 public:
  // Seconds: from a quick SQLite read or an answer from memory (100 µs) to a stuck store (the 5 s
  // busy timeout) and a slow client (10 s). One set for every histogram of /metrics.
  static constexpr std::array<double, 16> bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                 0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

  void observe(double seconds) {
    for (std::size_t i = 0; i < bounds.size(); ++i)
      if (seconds <= bounds[i]) buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(seconds, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
  }

  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

  struct reading {
    std::array<std::uint64_t, bounds.size()> buckets{};  // cumulative: observations <= bounds[i]
    std::uint64_t count = 0;
    double sum = 0;
  };
  reading read() const {
    reading r;
    for (std::size_t i = 0; i < bounds.size(); ++i) r.buckets[i] = buckets_[i].load(std::memory_order_relaxed);
    // An observation adds to its buckets before the count: never fewer in +Inf than in a bucket.
    r.count = std::max(count_.load(std::memory_order_relaxed), r.buckets.back());
    r.sum = sum_.load(std::memory_order_relaxed);
    return r;
  }

 private:
  std::array<std::atomic<std::uint64_t>, bounds.size()> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

}  // namespace slotlock
