#include "http/metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "build_version.hpp"

namespace slotlock {

std::string_view method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> known{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (auto k : known)
    if (k == method) return k;
  return "other";
}

// ---- metric_writer -------------------------------------------------------------------------

void metric_writer::family(std::string_view name, std::string_view help, std::string_view type) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += help;
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void metric_writer::put_labels(labels l, std::string_view extra_name, std::string_view extra_value) {
  if (l.size() == 0 && extra_name.empty()) return;
  out_ += '{';
  bool first = true;
  auto put = [&](std::string_view name, std::string_view value) {
    if (!first) out_ += ',';
    first = false;
    out_ += name;
    out_ += "=\"";
    for (const char c : value) {  // label values are ours, but escaped as the format says
      if (c == '\\' || c == '"') out_ += '\\';
      if (c == '\n') {
        out_ += "\\n";
        continue;
      }
      out_ += c;
    }
    out_ += '"';
  };
  for (const auto& [name, value] : l) put(name, value);
  if (!extra_name.empty()) put(extra_name, extra_value);
  out_ += '}';
}

void metric_writer::put_value(double v) {
  out_ += ' ';
  if (std::isinf(v)) {
    out_ += v > 0 ? "+Inf" : "-Inf";
  } else if (v == std::floor(v) && std::fabs(v) < 1e15) {
    out_ += std::to_string(static_cast<std::int64_t>(v));  // counts as counts, not 1e+06
  } else {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, end);
  }
  out_ += '\n';
}

void metric_writer::sample(std::string_view name, labels l, double value) {
  out_ += name;
  put_labels(l);
  put_value(value);
}

void metric_writer::histogram(std::string_view name, labels l, const latency_histogram& h) {
  const auto r = h.read();
  const std::string bucket = std::string(name) + "_bucket";
  char le[32];
  for (std::size_t i = 0; i < latency_histogram::bounds.size(); ++i) {
    const auto [end, ec] = std::to_chars(le, le + sizeof le, latency_histogram::bounds[i], std::chars_format::fixed);
    out_ += bucket;
    put_labels(l, "le", std::string_view(le, static_cast<std::size_t>(end - le)));
    put_value(static_cast<double>(r.buckets[i]));
  }
  out_ += bucket;
  put_labels(l, "le", "+Inf");
  put_value(static_cast<double>(r.count));
  out_ += name;
  out_ += "_sum";
  put_labels(l);
  put_value(r.sum);
  out_ += name;
  out_ += "_count";
  put_labels(l);
  put_value(static_cast<double>(r.count));
}

// ---- metrics ---------------------------------------------------------------------------------

void metrics::record_request(std::string_view method, std::string_view route, unsigned status,
                             std::chrono::duration<double> elapsed) {
  std::lock_guard g(mutex_);
  ++requests_[{std::string(route), std::string(method_label(method)), status}];
  auto it = latency_.find(route);
  if (it == latency_.end()) it = latency_.try_emplace(std::string(route)).first;
  it->second.observe(elapsed.count());
}

std::string metrics::render() const {
  metric_writer out;
  out.family("slotlock_build_info", "The running build: its version (git describe).", "gauge");
  out.sample("slotlock_build_info", {{"version", build_version}}, 1);
  write_process_metrics(out);
  {
    std::lock_guard g(mutex_);
    out.family("slotlock_http_requests_total", "HTTP requests by route, method and status.", "counter");
    for (const auto& [key, n] : requests_) {
      const auto& [route, method, status] = key;
      const auto code = std::to_string(status);
      out.sample("slotlock_http_requests_total", {{"route", route}, {"method", method}, {"status", code}},
                 static_cast<double>(n));
    }
    out.family("slotlock_http_request_duration_seconds", "Time to answer an HTTP request.", "histogram");
    for (const auto& [route, h] : latency_)
      out.histogram("slotlock_http_request_duration_seconds", {{"route", route}}, h);
  }
  out.family("slotlock_open_connections", "Open HTTP and WebSocket connections.", "gauge");
  out.sample("slotlock_open_connections", static_cast<double>(open_connections_.load()));
  out.family("slotlock_refused_connections_total", "Connections closed at once because --max-connections were open.",
             "counter");
  out.sample("slotlock_refused_connections_total", static_cast<double>(refused_connections_.load()));
  for (const auto& collect : collectors_) collect(out);
  return out.take();
}

// ---- the process ---------------------------------------------------------------------------

namespace {

// Fields of /proc/self/stat after the command name (which may hold spaces and parentheses):
// index 0 is field 3 (state).
std::vector<std::string> stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  const auto close = line.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(line.substr(close + 1));
  for (std::string f; rest >> f;) fields.push_back(std::move(f));
  return fields;
}

double boot_time() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double t = 0;
      in >> t;
      return t;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

}  // namespace

void write_process_metrics(metric_writer& out) {
  const auto f = stat_fields();
  if (f.size() < 22) return;  // not Linux, or /proc is not mounted: nothing rather than zeros
  const auto field = [&](int n) { return std::stod(f[static_cast<std::size_t>(n - 3)]); };
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));

  out.family("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", "counter");
  out.sample("process_cpu_seconds_total", (field(14) + field(15)) / ticks);
  out.family("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge");
  out.sample("process_resident_memory_bytes", field(24) * page);
  out.family("process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge");
  out.sample("process_virtual_memory_bytes", field(23));
  out.family("process_threads", "Threads of the process.", "gauge");
  out.sample("process_threads", field(20));
  out.family("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", "gauge");
  out.sample("process_start_time_seconds", boot_time() + field(22) / ticks);

  std::error_code ec;
  double fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++fds;
  out.family("process_open_fds", "Open file descriptors.", "gauge");
  out.sample("process_open_fds", fds);
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.family("process_max_fds", "The limit of open file descriptors.", "gauge");
    out.sample("process_max_fds", static_cast<double>(limit.rlim_cur));
  }
}

}  // namespace slotlock
