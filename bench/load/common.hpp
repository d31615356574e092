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
  std::vector<int> pids() const;                                      // --server-pids a,b
  std::vector<unsigned short> ports() const;                          // --port P or --port P1,P2,…
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

// CPU seconds (user + system) a process and its descendants have used: its own utime +
// stime, the cutime + cstime of children it has reaped, and the same for every living
// descendant (a PostgreSQL postmaster's backends, nginx's workers). Its resident set in KiB.
double process_tree_cpu_seconds(int pid);
long process_rss_kib(int pid);
double self_cpu_seconds();

// Readings at the start and end of the measured window; the server's figure is the sum
// over --server-pids, each with its descendants.
struct cpu_window {
  std::vector<int> pids;
  double server_start = 0, server_end = 0, self_start = 0, self_end = 0;
  std::vector<double> per_pid_start, per_pid_end;  // the same, each --server-pids entry apart
  clock_type::time_point wall_start{}, wall_end{};
  void begin();
  void end();
  // Percent of one core over the window, and the server's CPU seconds in it.
  boost::json::object summary() const;
};

boost::json::object run_closed_loop(const options& o);  // modes http-lock, http-get, redis-lock
boost::json::object run_ws_fanout(const options& o);
boost::json::object run_ws_idle(const options& o);

}  // namespace slotload
