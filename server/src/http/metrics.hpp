#pragma once
// /metrics in Prometheus text format: the HTTP figures kept here, the process's read from /proc
// at each scrape, and whatever the rest of the server adds as collectors (locks, WebSockets,
// the store: application.cpp). Every label's values come from a fixed set, so the number of
// series stays bounded whatever clients send.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "runtime/latency_histogram.hpp"

namespace slotlock {

// The method label of a request: one of the standard verbs, else "other". A client choosing
// the method must not be able to choose the number of series.
std::string_view method_label(std::string_view method);

// Writes families and samples in the text exposition format (version 0.0.4).
class metric_writer {
 public:
  using labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

  // `type`: counter, gauge or histogram. Each family once, before its samples.
  void family(std::string_view name, std::string_view help, std::string_view type);
  void sample(std::string_view name, labels l, double value);
  void sample(std::string_view name, double value) { sample(name, {}, value); }
  // A histogram's _bucket (cumulative, then +Inf), _sum and _count samples.
  void histogram(std::string_view name, labels l, const latency_histogram& h);

  std::string take() { return std::move(out_); }

 private:
  void put_labels(labels l, std::string_view extra_name = {}, std::string_view extra_value = {});
  void put_value(double v);
  std::string out_;
};

class metrics {
 public:
  // `route` is the route pattern ("/api/appointments/:id") or a fixed name ("unmatched",
  // "static"), never a raw path, so the number of series stays bounded; `method` goes through
  // method_label().
  void record_request(std::string_view method, std::string_view route, unsigned status,
                      std::chrono::duration<double> elapsed);
  void connection_opened() { ++open_connections_; }
  void connection_closed() { --open_connections_; }
  // A connection closed at once because --max-connections were open.
  void connection_refused() { ++refused_connections_; }

  // Adds families at each scrape. Collectors run on the blocking pool (they may read the store);
  // set them all before the server starts.
  void add_collector(std::function<void(metric_writer&)> collect) { collectors_.push_back(std::move(collect)); }

  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::string, latency_histogram, std::less<>> latency_;
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> refused_connections_{0};
  std::vector<std::function<void(metric_writer&)>> collectors_;
};

// The process's CPU time, memory, descriptors, threads and start time, from /proc/self (the
// names of the Prometheus client libraries: process_cpu_seconds_total, ...).
void write_process_metrics(metric_writer& out);

}  // namespace slotlock
