#include "common.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace slotload {

std::string options::get(const std::string& k, const std::string& dflt) const {
  auto it = values.find(k);
  return it == values.end() ? dflt : it->second;
}

double options::num(const std::string& k, double dflt) const {
  auto it = values.find(k);
  return it == values.end() ? dflt : std::stod(it->second);
}

std::vector<std::string> options::lines(const std::string& file_key) const {
  std::vector<std::string> out;
  const auto path = get(file_key);
  if (path.empty()) return out;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

std::vector<int> options::pids() const {
  std::vector<int> out;
  std::stringstream ss(get("server-pids"));
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(std::stoi(item));
  return out;
}

std::vector<unsigned short> options::ports() const {
  std::vector<unsigned short> out;
  std::stringstream ss(get("port"));
  for (std::string item; std::getline(ss, item, ',');) {
    if (item.empty()) continue;
    const int p = std::stoi(item);
    if (p <= 0 || p > 65535) throw std::runtime_error("--port: " + item + " is not a port");
    out.push_back(static_cast<unsigned short>(p));
  }
  if (out.empty()) throw std::runtime_error("--port is required");
  return out;
}

boost::json::object latencies::summary() {
  boost::json::object o;
  o["count"] = samples_.size();
  if (samples_.empty()) return o;
  std::sort(samples_.begin(), samples_.end());
  auto pct = [&](double p) {
    auto i = static_cast<std::size_t>(p * static_cast<double>(samples_.size() - 1) + 0.5);
    return samples_[std::min(i, samples_.size() - 1)];
  };
  double sum = 0;
  for (auto s : samples_) sum += s;
  o["p50"] = pct(0.50);
  o["p90"] = pct(0.90);
  o["p99"] = pct(0.99);
  o["p999"] = pct(0.999);
  o["max"] = samples_.back();
  o["mean"] = sum / static_cast<double>(samples_.size());
  return o;
}

namespace {

// utime + stime + cutime + cstime of one process, in clock ticks (0 once it is gone).
long long own_and_reaped_ticks(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto paren = all.rfind(')');
  if (paren == std::string::npos) return 0;
  std::stringstream ss(all.substr(paren + 2));
  std::vector<std::string> f;
  for (std::string t; ss >> t;) f.push_back(t);
  // After the command name the fields start at 3 (state); utime is 14, stime 15,
  // cutime 16, cstime 17 (children waited for).
  if (f.size() < 15) return 0;
  return std::stoll(f[11]) + std::stoll(f[12]) + std::stoll(f[13]) + std::stoll(f[14]);
}

// Children of every thread of pid.
std::vector<int> children_of(int pid) {
  std::vector<int> out;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream in(task.path() / "children");
    for (int c; in >> c;) out.push_back(c);
  }
  return out;
}

long long tree_ticks(int pid, int depth) {
  long long t = own_and_reaped_ticks(pid);
  if (depth < 8)
    for (int c : children_of(pid)) t += tree_ticks(c, depth + 1);
  return t;
}

}  // namespace

double process_tree_cpu_seconds(int pid) {
  return static_cast<double>(tree_ticks(pid, 0)) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long process_rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

double self_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void cpu_window::begin() {
  wall_start = clock_type::now();
  per_pid_start.clear();
  for (int p : pids) per_pid_start.push_back(process_tree_cpu_seconds(p));
  server_start = 0;
  for (double c : per_pid_start) server_start += c;
  self_start = self_cpu_seconds();
}

void cpu_window::end() {
  wall_end = clock_type::now();
  per_pid_end.clear();
  for (int p : pids) per_pid_end.push_back(process_tree_cpu_seconds(p));
  server_end = 0;
  for (double c : per_pid_end) server_end += c;
  self_end = self_cpu_seconds();
}

boost::json::object cpu_window::summary() const {
  const double wall = std::chrono::duration<double>(wall_end - wall_start).count();
  boost::json::object o;
  o["seconds"] = wall;
  if (wall > 0) {
    o["server_cpu_pct"] = 100.0 * (server_end - server_start) / wall;
    o["server_cpu_seconds"] = server_end - server_start;
    if (pids.size() > 1 && per_pid_end.size() == pids.size()) {
      boost::json::object by_pid;
      for (std::size_t i = 0; i < pids.size(); ++i) by_pid[std::to_string(pids[i])] = per_pid_end[i] - per_pid_start[i];
      o["server_cpu_seconds_by_pid"] = by_pid;
    }
    o["loadgen_cpu_pct"] = 100.0 * (self_end - self_start) / wall;
  }
  return o;
}

}  // namespace slotload
