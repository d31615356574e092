#pragma once

#include <algorithm>
#include <cmath>

#include "domain/time.hpp"

namespace slotlock {

// One bucket: `burst` tokens, refilled at `per_second`. Not thread-safe; the
// owner serialises access (rate_limiter under its mutex, a WebSocket session
// on its strand).
struct token_bucket {
  double burst = 10;
  double per_second = 1;
  double tokens = burst;
  time_point updated{};

  void refill(time_point now) {
    if (updated.time_since_epoch().count() != 0) {
      const double elapsed = std::chrono::duration<double>(now - updated).count();
      tokens = std::min(burst, tokens + std::max(0.0, elapsed) * per_second);
    }
    updated = now;
  }
  // Whole seconds until a token is there; 0 when one is.
  int wait() const {
    if (tokens >= 1) return 0;
    return std::max(1, static_cast<int>(std::ceil((1 - tokens) / per_second)));
  }
  // Takes a token if there is one; returns the wait otherwise.
  int take(time_point now) {
    refill(now);
    const int w = wait();
    if (w == 0) tokens -= 1;
    return w;
  }
};

}  // namespace slotlock
