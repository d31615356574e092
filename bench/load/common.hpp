#pragma once
// What every load mode shares: options, latency samples, /proc readings of the server
// and the measured window.

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace slotload {

using clock_type = std::chrono::steady_clock;
using std::chrono::microseconds;
using std::chrono::milliseconds;

struct options {
  std::map<std::string, std::string> values;
  std::string get(const std::string& k, const std::string& dflt = "") const;
  double num(const std::string& k, double dflt) const;
  std::vector<std::string> lines(const std::string& file_key) const;  // one item a line
  std::vector<int> pids() const;                                       // --server-pids a,b
};

// Microsecond samples; percentiles over the sorted samples.
class latencies {
 public:
  void add(clock_type::duration d) {
    samples_.push_back(static_cast<std::uint32_t>(std::chrono::duration_cast<microseconds>(d).count()));
  }
  void add_us(std::uint64_t us) { samples_.push_back(static_cast<std::uint32_t>(us)); }
  std::size_t size() const { return samples_.size(); }
  boost::json::object summary();  // {count, p50, p90, p99, p999, max, mean} in microseconds

 private:
  std::vector<std::uint32_t> samples_;
};

// CPU seconds (user + system) a process has used; its resident set in KiB.
double process_cpu_seconds(int pid);
long process_rss_kib(int pid);
double self_cpu_seconds();

// Readings at the start and end of the measured window.
struct cpu_window {
  std::vector<int> pids;
  double server_start = 0, server_end = 0, self_start = 0, self_end = 0;
  clock_type::time_point wall_start{}, wall_end{};
  void begin();
  void end();
  // Percent of one core, over the window.
  boost::json::object summary() const;
};

boost::json::object run_closed_loop(const options& o);  // modes http-lock, http-get, redis-lock
boost::json::object run_ws_fanout(const options& o);
boost::json::object run_ws_idle(const options& o);

}  // namespace slotload
