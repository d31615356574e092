#include "domain/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace slotlock {

rate_limiter::bucket& rate_limiter::refill(const std::string& key, time_point now) {
  if (buckets_.size() >= limits_.max_keys) prune(now);
  auto [it, fresh] = buckets_.try_emplace(key, bucket{limits_.burst, now});
  auto& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(limits_.burst, b.tokens + std::max(0.0, elapsed) * limits_.per_second);
    b.updated = now;
  }
  return b;
}

int rate_limiter::wait_for(const bucket& b) const {
  if (b.tokens >= 1) return 0;
  return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / limits_.per_second)));
}

int rate_limiter::take(const std::string& key) {
  const auto now = clock_.now();
  std::lock_guard g(mutex_);
  auto& b = refill(key, now);
  const int wait = wait_for(b);
  if (wait == 0) b.tokens -= 1;
  return wait;
}

int rate_limiter::wait_time(const std::string& key) {
  const auto now = clock_.now();
  std::lock_guard g(mutex_);
  return wait_for(refill(key, now));
}

void rate_limiter::prune(time_point now) {
  // A bucket that would be full again carries no information.
  std::erase_if(buckets_, [&](const auto& kv) {
    const double elapsed = std::chrono::duration<double>(now - kv.second.updated).count();
    return kv.second.tokens + elapsed * limits_.per_second >= limits_.burst;
  });
  // Under a flood of distinct keys, forget the oldest half rather than grow.
  if (buckets_.size() >= limits_.max_keys) {
    std::vector<std::pair<time_point, std::string>> by_age;
    by_age.reserve(buckets_.size());
    for (const auto& [k, b] : buckets_) by_age.emplace_back(b.updated, k);
    std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(by_age.size() / 2), by_age.end());
    for (std::size_t i = 0; i < by_age.size() / 2; ++i) buckets_.erase(by_age[i].second);
  }
}

}  // namespace slotlock
