#include "http/metrics.hpp"

#include <sstream>

#include "build_version.hpp"

namespace slotlock {

std::string_view method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> known{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (auto k : known)
    if (k == method) return k;
  return "other";
}

void metrics::record_request(std::string_view method, const std::string& route, unsigned status,
                             std::chrono::duration<double> elapsed) {
  const double s = elapsed.count();
  std::lock_guard g(mutex_);
  ++requests_[{route, std::string(method_label(method)), status}];
  auto& h = latency_[route];
  for (std::size_t i = 0; i < bounds.size(); ++i)
    if (s <= bounds[i]) ++h.buckets[i];
  ++h.count;
  h.sum += s;
}

std::string metrics::render() const {
  std::ostringstream out;
  out << "# HELP slotlock_build_info The running build: its version (git describe).\n"
         "# TYPE slotlock_build_info gauge\n"
         "slotlock_build_info{version=\""
      << build_version << "\"} 1\n";
  out << "# HELP slotlock_http_requests_total HTTP requests by route, method and status.\n"
         "# TYPE slotlock_http_requests_total counter\n";
  std::lock_guard g(mutex_);
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out << "slotlock_http_requests_total{route=\"" << route << "\",method=\"" << method << "\",status=\"" << status
        << "\"} " << n << "\n";
  }
  out << "# HELP slotlock_http_request_duration_seconds Time to answer an HTTP request.\n"
         "# TYPE slotlock_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (std::size_t i = 0; i < bounds.size(); ++i)
      out << "slotlock_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << bounds[i] << "\"} "
          << h.buckets[i] << "\n";
    out << "slotlock_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n";
    out << "slotlock_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n";
    out << "slotlock_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }
  out << "# HELP slotlock_open_connections Open HTTP and WebSocket connections.\n"
         "# TYPE slotlock_open_connections gauge\n"
         "slotlock_open_connections "
      << open_connections_.load() << "\n";
  out << "# HELP slotlock_refused_connections_total Connections closed at once because --max-connections were open.\n"
         "# TYPE slotlock_refused_connections_total counter\n"
         "slotlock_refused_connections_total "
      << refused_connections_.load() << "\n";
  return out.str();
}

}  // namespace slotlock
