#pragma once
// Request counters and a latency histogram, rendered in Prometheus text format.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace slotlock {

// The method label of a request: one of the standard verbs, else "other". A client choosing
// the method must not be able to choose the number of series.
std::string_view method_label(std::string_view method);

class metrics {
 public:
  // `route` is the route pattern ("/api/appointments/:id") or a fixed name ("unmatched",
  // "static"), never a raw path, so the number of series stays bounded; `method` goes through
  // method_label().
  void record_request(std::string_view method, const std::string& route, unsigned status,
                      std::chrono::duration<double> elapsed);
  void connection_opened() { ++open_connections_; }
  void connection_closed() { --open_connections_; }
  // A connection closed at once because --max-connections were open.
  void connection_refused() { ++refused_connections_; }
  std::string render() const;

 private:
  static constexpr std::array<double, 12> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
  struct histogram {
    std::array<std::uint64_t, bounds.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::string, histogram> latency_;
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> refused_connections_{0};
};

}  // namespace slotlock
