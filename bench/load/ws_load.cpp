// WebSocket load, through the same door a browser uses: a ticket from POST /api/ws-tickets
// (bearer token), then /api/appointments/:id/updates?ticket=…&sessionId=….
//   ws-fanout  R rooms × V viewers, the first M viewers of each room move their pointer at
//              20 Hz. Each cursor's x carries its send time (10 µs units, wrapping every
//              100 s), unique per sender and send, so a receiver computes the end-to-end delay
//              of every position it is shown: arrival minus the send time of that position.
//   ws-idle    N connections spread over the rooms, left idle; the server's resident set
//              before and after, divided by N.
// Every connection signs in as a user of its own where the tokens file allows (slotlock keeps
// at most 32 sockets open per person), and the viewers of one room are always distinct users:
// a user never receives their own pointer, so movers must be different users.

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <cmath>
#include <cstdio>
#include <deque>
#include <memory>
#include <random>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include "common.hpp"

namespace slotload {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

constexpr std::int64_t wrap_units = 10'000'000;  // x = units / 1e7, one unit = 10 µs

struct ws_conn {
  websocket::stream<beast::tcp_stream> ws;
  int room = 0, viewer = 0;  // viewer: its place in the room (the first M move)
  std::size_t user = 0;      // tokens[user % tokens]
  bool open = false;
  explicit ws_conn(asio::any_io_executor ex) : ws(ex) {}
};

struct shared {
  tcp::endpoint server;
  std::string host;
  std::vector<std::string> tokens, rooms;
  clock_type::time_point t0 = clock_type::now();
  clock_type::time_point measure_from = clock_type::time_point::max(), measure_to = clock_type::time_point::max();
  std::uint64_t frames = 0, cursor_frames = 0, positions = 0, sent = 0, error_frames = 0, closed = 0,
                connect_failures = 0;
  latencies delay;
  std::string last_failure;
  bool in_window(clock_type::time_point t) const { return t >= measure_from && t < measure_to; }
  std::int64_t units_now() const {
    return std::chrono::duration_cast<microseconds>(clock_type::now() - t0).count() / 10 % wrap_units;
  }
};

// Keep-alive HTTP connection handing out tickets.
class ticket_client {
 public:
  explicit ticket_client(shared& sh, asio::any_io_executor ex) : sh_(sh), stream_(ex) {}
  awaitable<std::string> ticket(const std::string& token) {
    if (!connected_) {
      co_await stream_.async_connect(sh_.server, use_awaitable);
      stream_.socket().set_option(tcp::no_delay(true));
      connected_ = true;
    }
    http::request<http::empty_body> req{http::verb::post, "/api/ws-tickets", 11};
    req.set(http::field::host, sh_.host);
    req.set(http::field::authorization, "Bearer " + token);
    req.set(http::field::content_length, "0");
    co_await http::async_write(stream_, req, use_awaitable);
    http::response<http::string_body> res;
    co_await http::async_read(stream_, buf_, res, use_awaitable);
    if (res.result() != http::status::ok)
      throw std::runtime_error("ws-tickets answered " + std::to_string(res.result_int()));
    co_return std::string(boost::json::parse(res.body()).at("ticket").as_string());
  }

 private:
  shared& sh_;
  beast::tcp_stream stream_;
  beast::flat_buffer buf_;
  bool connected_ = false;
};

// Awaits until pred() holds, polling: the generator runs on one thread, so this is cheap.
awaitable<void> wait_until(std::function<bool()> pred) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  while (!pred()) {
    t.expires_after(milliseconds(2));
    co_await t.async_wait(use_awaitable);
  }
}

void on_cursors(shared& sh, const beast::flat_buffer& b, clock_type::time_point now) {
  const std::string_view text(static_cast<const char*>(b.data().data()), b.size());
  if (text.find("\"cursors\"") == std::string_view::npos) {
    if (text.find("\"error\"") != std::string_view::npos) ++sh.error_frames;
    return;
  }
  auto v = boost::json::parse(text);
  auto& o = v.as_object();
  if (o.at("type").as_string() != "cursors") return;
  ++sh.cursor_frames;
  const std::int64_t arrived = std::chrono::duration_cast<microseconds>(now - sh.t0).count() / 10 % wrap_units;
  for (auto& c : o.at("cursors").as_array()) {
    const double x = c.at("x").to_number<double>();
    const auto sent = static_cast<std::int64_t>(std::llround(x * static_cast<double>(wrap_units)));
    const auto units = ((arrived - sent) % wrap_units + wrap_units) % wrap_units;
    sh.delay.add_us(static_cast<std::uint64_t>(units) * 10);
    ++sh.positions;
  }
}

awaitable<void> read_loop(shared& sh, std::shared_ptr<ws_conn> c, bool measure) {
  beast::flat_buffer b;
  try {
    for (;;) {
      b.clear();
      co_await c->ws.async_read(b, use_awaitable);
      const auto now = clock_type::now();
      if (!measure || !sh.in_window(now)) continue;
      ++sh.frames;
      on_cursors(sh, b, now);
    }
  } catch (const std::exception&) {
    c->open = false;
    ++sh.closed;
  }
}

awaitable<void> move_pointer(shared& sh, std::shared_ptr<ws_conn> c, milliseconds phase) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  auto next = clock_type::now() + phase;
  const double y = (c->viewer + 1) / 100.0;
  char msg[96];
  try {
    while (c->open && next < sh.measure_to) {
      t.expires_at(next);
      co_await t.async_wait(use_awaitable);
      next += milliseconds(50);  // 20 Hz; a late tick is not made up for
      if (next < clock_type::now()) next = clock_type::now() + milliseconds(50);
      const auto units = sh.units_now();
      const int n = std::snprintf(msg, sizeof msg, "{\"type\":\"cursor\",\"x\":%.7f,\"y\":%.2f}",
                                  static_cast<double>(units) / static_cast<double>(wrap_units), y);
      c->ws.text(true);
      co_await c->ws.async_write(asio::buffer(msg, static_cast<std::size_t>(n)), use_awaitable);
      if (sh.in_window(clock_type::now())) ++sh.sent;
    }
  } catch (const std::exception& e) {
    sh.last_failure = e.what();
  }
}

awaitable<void> open_one(shared& sh, std::shared_ptr<ws_conn> c, std::string ticket, bool measure) {
  try {
    co_await beast::get_lowest_layer(c->ws).async_connect(sh.server, use_awaitable);
    beast::get_lowest_layer(c->ws).socket().set_option(tcp::no_delay(true));
    c->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    c->ws.read_message_max(1 << 20);
    const std::string target = "/api/appointments/" + sh.rooms[static_cast<std::size_t>(c->room)] +
                               "/updates?ticket=" + ticket + "&sessionId=r" + std::to_string(c->room) + "v" +
                               std::to_string(c->viewer);
    co_await c->ws.async_handshake(sh.host, target, use_awaitable);
    beast::flat_buffer first;
    co_await c->ws.async_read(first, use_awaitable);  // the snapshot
    c->open = true;
    asio::co_spawn(co_await asio::this_coro::executor, read_loop(sh, c, measure), asio::detached);
  } catch (const std::exception& e) {
    ++sh.connect_failures;
    sh.last_failure = e.what();
  }
}

// Opens conns in batches: tickets for a batch through a few keep-alive connections, then
// the batch's handshakes side by side (a ticket lives 30 s).
awaitable<void> open_all(shared& sh, std::vector<std::shared_ptr<ws_conn>>& conns, bool measure, int& done) {
  auto ex = co_await asio::this_coro::executor;
  constexpr std::size_t batch = 250, fetchers = 4;
  std::vector<std::unique_ptr<ticket_client>> clients;
  for (std::size_t i = 0; i < fetchers; ++i) clients.push_back(std::make_unique<ticket_client>(sh, ex));
  for (std::size_t from = 0; from < conns.size(); from += batch) {
    const std::size_t to = std::min(conns.size(), from + batch);
    std::vector<std::string> tickets(to - from);
    std::size_t fetched = 0;
    for (std::size_t f = 0; f < fetchers; ++f)
      asio::co_spawn(
          ex,
          [&, f]() -> awaitable<void> {
            for (std::size_t i = from + f; i < to; i += fetchers) {
              const auto& token = sh.tokens[conns[i]->user % sh.tokens.size()];
              tickets[i - from] = co_await clients[f]->ticket(token);
            }
          },
          [&](std::exception_ptr e) {
            ++fetched;
            if (e) std::rethrow_exception(e);
          });
    co_await wait_until([&] { return fetched == fetchers; });
    std::size_t opened = 0;
    for (std::size_t i = from; i < to; ++i)
      asio::co_spawn(ex, open_one(sh, conns[i], tickets[i - from], measure), [&](std::exception_ptr) { ++opened; });
    co_await wait_until([&] { return opened == to - from; });
  }
  ++done;
}

shared make_shared_state(const options& o) {
  shared sh;
  const std::string host = o.get("host", "127.0.0.1");
  const auto ports = o.ports();
  if (ports.size() != 1) throw std::runtime_error("WebSocket modes take one --port");
  const int port = ports[0];
  sh.server = tcp::endpoint(asio::ip::make_address(host), ports[0]);
  sh.host = host + ":" + std::to_string(port);
  sh.tokens = o.lines("tokens");
  sh.rooms = o.lines("ids");
  if (sh.tokens.empty() || sh.rooms.empty()) throw std::runtime_error("--tokens and --ids are required");
  return sh;
}

}  // namespace

boost::json::object run_ws_fanout(const options& o) {
  shared sh = make_shared_state(o);
  const int rooms = static_cast<int>(o.num("rooms", 10)), viewers = static_cast<int>(o.num("viewers", 10)),
            movers = static_cast<int>(o.num("movers", 3));
  if (static_cast<int>(sh.rooms.size()) < rooms) throw std::runtime_error("not enough appointments for the rooms");
  if (static_cast<int>(sh.tokens.size()) < viewers) throw std::runtime_error("one user per viewer is needed");
  asio::io_context ioc(1);
  std::vector<std::shared_ptr<ws_conn>> conns;
  for (int r = 0; r < rooms; ++r)
    for (int v = 0; v < viewers; ++v) {
      auto c = std::make_shared<ws_conn>(ioc.get_executor());
      c->room = r;
      c->viewer = v;
      c->user = static_cast<std::size_t>(r * viewers + v);  // consecutive: distinct within a room
      conns.push_back(c);
    }
  int opened = 0;
  const auto setup_start = clock_type::now();
  asio::co_spawn(ioc, open_all(sh, conns, true, opened), asio::detached);
  cpu_window cpu{.pids = o.pids()};
  double setup_seconds = 0;
  asio::co_spawn(
      ioc,
      [&]() -> awaitable<void> {
        co_await wait_until([&] { return opened == 1; });
        setup_seconds = std::chrono::duration<double>(clock_type::now() - setup_start).count();
        const auto warmup = std::chrono::duration<double>(o.num("warmup", 2));
        const auto duration = std::chrono::duration<double>(o.num("duration", 10));
        sh.measure_from = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(warmup);
        sh.measure_to = sh.measure_from + std::chrono::duration_cast<clock_type::duration>(duration);
        std::mt19937 rng(42);
        for (auto& c : conns)
          if (c->open && c->viewer < movers)
            asio::co_spawn(ioc, move_pointer(sh, c, milliseconds(rng() % 50)), asio::detached);
        asio::steady_timer t(ioc);
        t.expires_at(sh.measure_from);
        co_await t.async_wait(use_awaitable);
        cpu.begin();
        t.expires_at(sh.measure_to);
        co_await t.async_wait(use_awaitable);
        cpu.end();
        // Let the last positions arrive, then stop.
        t.expires_after(milliseconds(300));
        co_await t.async_wait(use_awaitable);
        ioc.stop();
      },
      asio::detached);
  ioc.run();

  const double secs = std::chrono::duration<double>(sh.measure_to - sh.measure_from).count();
  std::size_t open = 0;
  for (auto& c : conns) open += c->open ? 1 : 0;
  boost::json::object r;
  r["mode"] = "ws-fanout";
  r["rooms"] = rooms;
  r["viewers"] = viewers;
  r["movers"] = movers;
  r["connections"] = conns.size();
  r["open_at_end"] = open;
  r["connect_failures"] = sh.connect_failures;
  r["setup_seconds"] = setup_seconds;
  r["positions_sent_per_s"] = static_cast<double>(sh.sent) / secs;
  // Every position sent could be shown to the room's V-1 other users.
  r["positions_offered_per_s"] = static_cast<double>(sh.sent) * (viewers - 1) / secs;
  r["frames_per_s"] = static_cast<double>(sh.frames) / secs;
  r["cursor_frames_per_s"] = static_cast<double>(sh.cursor_frames) / secs;
  r["positions_delivered"] = sh.positions;
  r["positions_delivered_per_s"] = static_cast<double>(sh.positions) / secs;
  r["error_frames"] = sh.error_frames;
  r["delay_us"] = sh.delay.summary();
  r["cpu"] = cpu.summary();
  if (!sh.last_failure.empty()) r["last_failure"] = sh.last_failure;
  return r;
}

boost::json::object run_ws_idle(const options& o) {
  shared sh = make_shared_state(o);
  const int n = static_cast<int>(o.num("conns", 10000));
  const auto pids = o.pids();
  if (pids.empty()) throw std::runtime_error("--server-pids is required");
  asio::io_context ioc(1);
  std::vector<std::shared_ptr<ws_conn>> conns;
  // Spread over the rooms; viewers of a room are distinct users where tokens allow, and the
  // sockets are spread over every user (slotlock keeps at most 32 open per person).
  const int per_room = (n + static_cast<int>(sh.rooms.size()) - 1) / static_cast<int>(sh.rooms.size());
  for (int i = 0; i < n; ++i) {
    auto c = std::make_shared<ws_conn>(ioc.get_executor());
    c->room = i / per_room;
    c->viewer = i;
    c->user = static_cast<std::size_t>(i);
    conns.push_back(c);
  }
  const long rss_before = process_rss_kib(pids[0]);
  const double cpu_before = process_tree_cpu_seconds(pids[0]);
  int opened = 0;
  const auto start = clock_type::now();
  double connect_seconds = 0;
  long rss_after = 0;
  double cpu_after = 0;
  asio::co_spawn(ioc, open_all(sh, conns, false, opened), asio::detached);
  asio::co_spawn(
      ioc,
      [&]() -> awaitable<void> {
        co_await wait_until([&] { return opened == 1; });
        connect_seconds = std::chrono::duration<double>(clock_type::now() - start).count();
        asio::steady_timer t(ioc);
        t.expires_after(
            std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(o.num("settle", 3))));
        co_await t.async_wait(use_awaitable);
        rss_after = process_rss_kib(pids[0]);
        cpu_after = process_tree_cpu_seconds(pids[0]);
        ioc.stop();
      },
      asio::detached);
  ioc.run();
  std::size_t open = 0;
  for (auto& c : conns) open += c->open ? 1 : 0;
  boost::json::object r;
  r["mode"] = "ws-idle";
  r["connections"] = n;
  r["rooms"] = std::min<std::size_t>(sh.rooms.size(), static_cast<std::size_t>((n + per_room - 1) / per_room));
  r["open_at_end"] = open;
  r["connect_failures"] = sh.connect_failures;
  r["connect_seconds"] = connect_seconds;
  r["server_rss_before_kib"] = rss_before;
  r["server_rss_after_kib"] = rss_after;
  r["server_cpu_seconds_to_connect"] = cpu_after - cpu_before;
  r["bytes_per_connection"] =
      open ? static_cast<double>(rss_after - rss_before) * 1024.0 / static_cast<double>(open) : 0.0;
  r["loadgen_rss_kib"] = process_rss_kib(static_cast<int>(getpid()));
  if (!sh.last_failure.empty()) r["last_failure"] = sh.last_failure;
  return r;
}

}  // namespace slotload
