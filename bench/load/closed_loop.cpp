// Closed-loop request/response load over keep-alive connections, raw sockets on one thread:
//   http-lock   POST …/acquire-lock, and when granted (200) DELETE …/release-lock: one cycle;
//               a 409 counts as a refused attempt and the connection tries again at once.
//   http-get    GET --path (lock-status, or nginx's static copy of its answer).
//   redis-lock  SET key val NX PX 300000, and when granted (+OK) DEL key: one cycle.
// --port P1,P2,… spreads the connections round-robin over several servers (connection i
// to port i mod n), e.g. two slotlock processes sharing one PostgreSQL database.
// Requests are built once per connection and responses parsed only as far as status and
// length, so the generator costs far less per request than the servers it drives.

#include <boost/asio.hpp>

#include <cstring>
#include <stdexcept>

#include "common.hpp"

namespace slotload {
namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

// A buffer a connection reads into; parsed responses are consumed from its front.
class reply_reader {
 public:
  // HTTP/1.1 response with Content-Length; returns the status code.
  awaitable<int> http(tcp::socket& s) {
    for (;;) {
      std::string_view have(buf_.data() + beg_, end_ - beg_);
      auto hdr_end = have.find("\r\n\r\n");
      if (hdr_end != std::string_view::npos) {
        const auto header = have.substr(0, hdr_end + 4);
        const std::size_t total = header.size() + content_length(header);
        if (have.size() >= total) {
          const int status = std::atoi(header.data() + 9);
          consume(total);
          co_return status;
        }
      }
      co_await fill(s);
    }
  }

  // One RESP reply: 200 for +OK, :n or $n bulk; 409 for a nil bulk ($-1); 500 for -ERR.
  awaitable<int> resp(tcp::socket& s) {
    for (;;) {
      std::string_view have(buf_.data() + beg_, end_ - beg_);
      auto eol = have.find("\r\n");
      if (eol != std::string_view::npos) {
        const char type = have[0];
        std::size_t total = eol + 2;
        int code = type == '-' ? 500 : 200;
        if (type == '$') {
          const long len = std::atol(have.data() + 1);
          if (len < 0)
            code = 409;
          else
            total += static_cast<std::size_t>(len) + 2;
        }
        if (have.size() >= total) {
          consume(total);
          co_return code;
        }
      }
      co_await fill(s);
    }
  }

 private:
  static std::size_t content_length(std::string_view header) {
    static constexpr std::string_view name = "content-length:";
    std::size_t pos = header.find("\r\n");
    while (pos != std::string_view::npos && pos + 2 < header.size()) {
      const auto line = header.substr(pos + 2);
      if (line.size() > name.size() && strncasecmp(line.data(), name.data(), name.size()) == 0)
        return static_cast<std::size_t>(std::atol(line.data() + name.size()));
      if (line.size() > 18 && strncasecmp(line.data(), "transfer-encoding:", 18) == 0)
        throw std::runtime_error("chunked responses are not supported");
      pos = header.find("\r\n", pos + 2);
    }
    return 0;
  }

  void consume(std::size_t n) {
    beg_ += n;
    if (beg_ == end_) beg_ = end_ = 0;
  }

  awaitable<void> fill(tcp::socket& s) {
    if (end_ == buf_.size()) {
      std::memmove(buf_.data(), buf_.data() + beg_, end_ - beg_);
      end_ -= beg_;
      beg_ = 0;
      if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
    }
    end_ += co_await s.async_read_some(asio::buffer(buf_.data() + end_, buf_.size() - end_), use_awaitable);
  }

  std::vector<char> buf_ = std::vector<char>(16 * 1024);
  std::size_t beg_ = 0, end_ = 0;
};

struct run_state {
  std::string mode;
  clock_type::time_point measure_from, measure_to;
  std::uint64_t requests = 0, cycles = 0, granted = 0, refused = 0, errors = 0;
  std::map<int, std::uint64_t> statuses;
  latencies cycle_latency;    // acquire sent .. release answered (or the GET)
  latencies attempt_latency;  // every acquire, granted or refused
  int finished = 0;
  bool in_window(clock_type::time_point t) const { return t >= measure_from && t < measure_to; }
};

std::string resp_command(const std::vector<std::string>& parts) {
  std::string out = "*" + std::to_string(parts.size()) + "\r\n";
  for (const auto& p : parts) out += "$" + std::to_string(p.size()) + "\r\n" + p + "\r\n";
  return out;
}

struct conn_plan {
  tcp::endpoint server;
  std::vector<std::string> first;   // acquire / GET / SET, one per key this connection cycles over
  std::vector<std::string> second;  // release / DEL (empty for http-get)
};

awaitable<void> run_connection(run_state& st, conn_plan plan) {
  tcp::socket s(co_await asio::this_coro::executor);
  co_await s.async_connect(plan.server, use_awaitable);
  s.set_option(tcp::no_delay(true));
  reply_reader reader;
  const bool redis = st.mode == "redis-lock";
  auto read = [&]() { return redis ? reader.resp(s) : reader.http(s); };
  for (std::size_t k = 0;; k = (k + 1) % plan.first.size()) {
    const auto t0 = clock_type::now();
    if (t0 >= st.measure_to) break;
    co_await asio::async_write(s, asio::buffer(plan.first[k]), use_awaitable);
    const int status = co_await read();
    const auto t1 = clock_type::now();
    const bool counted = st.in_window(t0) && t1 < st.measure_to;
    if (counted) {
      ++st.requests;
      ++st.statuses[status];
    }
    if (plan.second.empty()) {  // http-get
      if (counted) {
        st.cycle_latency.add(t1 - t0);
        ++st.cycles;
        if (status != 200) ++st.errors;
      }
      continue;
    }
    if (counted) st.attempt_latency.add(t1 - t0);
    if (status == 409) {
      if (counted) ++st.refused;
      continue;
    }
    if (status != 200) {
      if (counted) ++st.errors;
      continue;
    }
    co_await asio::async_write(s, asio::buffer(plan.second[k]), use_awaitable);
    const int released = co_await read();
    const auto t2 = clock_type::now();
    if (st.in_window(t0) && t2 < st.measure_to) {
      ++st.requests;
      ++st.statuses[released];
      ++st.granted;
      ++st.cycles;
      st.cycle_latency.add(t2 - t0);
      if (released != 200) ++st.errors;
    }
  }
  boost::system::error_code ignored;
  s.shutdown(tcp::socket::shutdown_both, ignored);
}

}  // namespace

boost::json::object run_closed_loop(const options& o) {
  run_state st;
  st.mode = o.get("mode");
  const std::string host = o.get("host", "127.0.0.1");
  const auto ports = o.ports();
  const auto address = asio::ip::make_address(host);
  const int conns = static_cast<int>(o.num("conns", 32));
  const bool contended = o.get("contended", "0") == "1";
  const auto tokens = o.lines("tokens");
  auto ids = o.lines("ids");
  if (st.mode != "http-get" && ids.empty()) throw std::runtime_error("--ids is required");
  if (contended) ids.resize(1);

  std::vector<conn_plan> plans(static_cast<std::size_t>(conns));
  for (int i = 0; i < conns; ++i) {
    auto& p = plans[static_cast<std::size_t>(i)];
    const auto port = ports[static_cast<std::size_t>(i) % ports.size()];
    p.server = tcp::endpoint(address, port);
    const std::string host_hdr = "Host: " + host + ":" + std::to_string(port) + "\r\n";
    const std::string auth =
        tokens.empty() ? "" : "Authorization: Bearer " + tokens[static_cast<std::size_t>(i) % tokens.size()] + "\r\n";
    const std::string session = "bench-" + std::to_string(i);
    if (st.mode == "http-get") {
      p.first.push_back("GET " + o.get("path") + " HTTP/1.1\r\n" + host_hdr + auth + "\r\n");
      continue;
    }
    // Uncontended: connection i cycles over the keys k with k % conns == i (its own).
    for (std::size_t k = contended ? 0 : static_cast<std::size_t>(i); k < ids.size(); k += contended ? 1 : conns) {
      const auto& id = ids[k];
      if (st.mode == "redis-lock") {
        const std::string key = "lock:appointment:" + id;
        p.first.push_back(resp_command({"SET", key, session, "NX", "PX", "300000"}));
        p.second.push_back(resp_command({"DEL", key}));
      } else {
        const std::string body = "{\"sessionId\":\"" + session + "\"}";
        p.first.push_back("POST /api/appointments/" + id + "/acquire-lock HTTP/1.1\r\n" + host_hdr + auth +
                          "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\n\r\n" + body);
        p.second.push_back("DELETE /api/appointments/" + id + "/release-lock HTTP/1.1\r\n" + host_hdr + auth + "\r\n");
      }
    }
    if (p.first.empty()) throw std::runtime_error("more connections than appointments: the run would be contended");
  }

  asio::io_context ioc(1);
  const auto warmup = std::chrono::duration<double>(o.num("warmup", 2));
  const auto duration = std::chrono::duration<double>(o.num("duration", 10));
  const auto start = clock_type::now();
  st.measure_from = start + std::chrono::duration_cast<clock_type::duration>(warmup);
  st.measure_to = st.measure_from + std::chrono::duration_cast<clock_type::duration>(duration);
  std::string failure;
  for (auto& p : plans)
    asio::co_spawn(ioc, run_connection(st, std::move(p)), [&](std::exception_ptr e) {
      ++st.finished;
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        failure = x.what();
      }
    });
  cpu_window cpu{.pids = o.pids()};
  asio::steady_timer at_start(ioc, st.measure_from), at_end(ioc, st.measure_to);
  at_start.async_wait([&](auto) { cpu.begin(); });
  at_end.async_wait([&](auto) { cpu.end(); });
  ioc.run();

  const double secs = duration.count();
  boost::json::object r;
  r["mode"] = st.mode;
  r["contended"] = contended;
  r["connections"] = conns;
  boost::json::array port_list;
  for (auto p : ports) port_list.push_back(p);
  r["ports"] = port_list;
  r["keys"] = ids.size();
  r["requests"] = st.requests;
  r["requests_per_s"] = static_cast<double>(st.requests) / secs;
  r["cycles"] = st.cycles;
  r["cycles_per_s"] = static_cast<double>(st.cycles) / secs;
  r["granted"] = st.granted;
  r["refused_409"] = st.refused;
  r["errors"] = st.errors;
  boost::json::object statuses;
  for (auto [k, v] : st.statuses) statuses[std::to_string(k)] = v;
  r["statuses"] = statuses;
  r["latency_us"] = st.cycle_latency.summary();
  if (st.attempt_latency.size()) r["attempt_latency_us"] = st.attempt_latency.summary();
  r["cpu"] = cpu.summary();
  if (!failure.empty()) r["failure"] = failure;
  return r;
}

}  // namespace slotload
