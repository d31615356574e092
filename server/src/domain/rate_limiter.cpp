#include "domain/rate_limiter.hpp"

#include <algorithm>
#include <vector>

namespace slotlock {

token_bucket& rate_limiter::bucket_for(const std::string& key, time_point now) {
  if (buckets_.size() >= limits_.max_keys) prune(now);
  auto [it, fresh] = buckets_.try_emplace(key, token_bucket{limits_.burst, limits_.per_second, limits_.burst, now});
  it->second.refill(now);
  return it->second;
}

int rate_limiter::take(const std::string& key) {
  const auto now = clock_.now();
  std::lock_guard g(mutex_);
  return bucket_for(key, now).take(now);
}

int rate_limiter::wait_time(const std::string& key) {
  const auto now = clock_.now();
  std::lock_guard g(mutex_);
  return bucket_for(key, now).wait();
}

void rate_limiter::give_back(const std::string& key) {
  const auto now = clock_.now();
  std::lock_guard g(mutex_);
  const auto it = buckets_.find(key);
  if (it == buckets_.end()) return;  // pruned meanwhile: it was full
  it->second.refill(now);
  it->second.tokens = std::min(it->second.burst, it->second.tokens + 1);
}

void rate_limiter::prune(time_point now) {
  // A bucket that would be full again carries no information.
  std::erase_if(buckets_, [&](const auto& kv) {
    auto b = kv.second;
    b.refill(now);
    return b.tokens >= b.burst;
  });
  // Under a flood of distinct keys, forget the oldest half rather than grow.
  if (buckets_.size() >= limits_.max_keys) {
    std::vector<std::pair<time_point, std::string>> by_age;
    by_age.reserve(buckets_.size());
    for (const auto& [k, b] : buckets_) by_age.emplace_back(b.updated, k);
    const auto half = by_age.begin() + static_cast<std::ptrdiff_t>(by_age.size() / 2);
    std::nth_element(by_age.begin(), half, by_age.end());
    for (auto it = by_age.begin(); it != half; ++it) buckets_.erase(it->second);
  }
}

}  // namespace slotlock
