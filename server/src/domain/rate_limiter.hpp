#pragma once
// Token buckets keyed by a string (a user id, an e-mail, an address).

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "domain/time.hpp"
#include "domain/token_bucket.hpp"

namespace slotlock {

class rate_limiter {
 public:
  struct limits {
    double burst = 10;               // tokens in a full bucket
    double per_second = 1;           // refill rate
    std::size_t max_keys = 100'000;  // bound on memory: idle full buckets are dropped
  };

  rate_limiter(const clock& c, limits l) : clock_(c), limits_(l) {}

  // Takes one token. When the bucket is empty, returns the whole seconds to
  // wait (>= 1) and takes nothing; otherwise 0.
  int take(const std::string& key);
  // What take() would answer, without taking anything.
  int wait_time(const std::string& key);
  // Returns a token taken by take(): for a limit on failures, the token is taken before the
  // attempt (so that parallel attempts cannot all pass the check) and given back when it
  // succeeds.
  void give_back(const std::string& key);

 private:
  token_bucket& bucket_for(const std::string& key, time_point now);
  void prune(time_point now);

  const clock& clock_;
  limits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, token_bucket> buckets_;
};

}  // namespace slotlock
