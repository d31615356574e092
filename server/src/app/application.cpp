#include "app/application.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdlib>
#include <thread>

#include "app/demo_data.hpp"
#include "app/descriptors.hpp"
#include "app/expiry_timer.hpp"
#include "app/timed_store.hpp"
#include "domain/appointment_service.hpp"
#include "domain/audit_service.hpp"
#include "domain/auth_service.hpp"
#include "domain/crypto.hpp"
#include "domain/events.hpp"
#include "domain/lock_service.hpp"
#include "domain/user_service.hpp"
#include "http/api_routes.hpp"
#include "http/http_server.hpp"
#include "http/metrics.hpp"
#include "http/openapi_route.hpp"
#include "rooms/hub.hpp"
#include "runtime/bounded_pool.hpp"
#include "runtime/write_batcher.hpp"
#include "store/open_store.hpp"
#include "ws/ws_endpoint.hpp"
#include "ws/ws_session.hpp"

namespace slotlock {

namespace asio = boost::asio;

namespace {

constexpr auto shutdown_bound = std::chrono::seconds(10);
constexpr auto sign_in_lifetime = std::chrono::hours(12);

// The families /metrics adds to the HTTP and process ones (docs/api.md, "Metrics").
void add_collectors(metrics& stats, lock_service& locks, hub& rooms, const timed_store& store_stats) {
  stats.add_collector([&locks](metric_writer& out) {
    out.family("slotlock_lock_events_total", "Lock events this process committed, by kind.", "counter");
    for (std::size_t k = 0; k < lock_event_kind_names.size(); ++k)
      out.sample("slotlock_lock_events_total", {{"kind", lock_event_kind_names[k]}},
                 static_cast<double>(locks.committed_events(static_cast<lock_event_kind>(k))));
    try {
      const auto held = locks.live_locks().size();  // from memory, unless the lock table must be filled
      out.family("slotlock_locks_held", "Appointments whose lock is held now (by anyone, on any process).", "gauge");
      out.sample("slotlock_locks_held", static_cast<double>(held));
    } catch (const std::exception& e) {
      spdlog::warn("metrics: the locks held could not be read: {}", e.what());  // the store's failure is counted
    }
  });
  stats.add_collector([&rooms](metric_writer& out) {
    const auto& ws = ws_session::counters();
    out.family("slotlock_websocket_connections", "Open WebSockets (appointment rooms and list feeds).", "gauge");
    out.sample("slotlock_websocket_connections", static_cast<double>(ws.open.load()));
    out.family("slotlock_websocket_rooms", "Appointments with a viewer connected to this process.", "gauge");
    out.sample("slotlock_websocket_rooms", static_cast<double>(rooms.room_count()));
    out.family("slotlock_websocket_dropped_total",
               "WebSockets closed by the server: silent (pings unanswered) or slow (too far behind).", "counter");
    out.sample("slotlock_websocket_dropped_total", {{"reason", "silent"}},
               static_cast<double>(ws.dropped_silent.load()));
    out.sample("slotlock_websocket_dropped_total", {{"reason", "slow"}}, static_cast<double>(ws.dropped_slow.load()));
    out.family("slotlock_websocket_dropped_frames_total", "Frames left unsent by those closings.", "counter");
    out.sample("slotlock_websocket_dropped_frames_total", static_cast<double>(ws.dropped_frames.load()));
  });
  stats.add_collector([&store_stats](metric_writer& out) {
    out.family("slotlock_store_duration_seconds", "Time taken by calls to the store, by call.", "histogram");
    for (std::size_t i = 0; i < timed_store::operations.size(); ++i) {
      const auto& latency = store_stats.stats(i).latency;
      if (latency.count() == 0) continue;  // calls this server never made stay out of the output
      out.histogram("slotlock_store_duration_seconds", {{"operation", timed_store::operations[i]}}, latency);
    }
    out.family("slotlock_store_errors_total", "Failed calls to the store, by call and kind.", "counter");
    for (std::size_t i = 0; i < timed_store::operations.size(); ++i)
      for (std::size_t k = 0; k < timed_store::failure_kinds.size(); ++k)
        if (const auto n = store_stats.stats(i).failures[k].load(); n > 0)
          out.sample("slotlock_store_errors_total",
                     {{"operation", timed_store::operations[i]}, {"kind", timed_store::failure_kinds[k]}},
                     static_cast<double>(n));
  });
}

int io_threads(const server_config& cfg) {
  if (cfg.threads > 0) return cfg.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

int run_server(const server_config& cfg) {
  ensure_crypto();
  system_clock clock;
  // Every store call timed for /metrics.
  auto timed = std::make_unique<timed_store>(open_store(cfg.db));
  const timed_store& store_stats = *timed;
  std::unique_ptr<store> db = std::move(timed);
  // In-process for SQLite; LISTEN/NOTIFY between processes for PostgreSQL.
  auto bus_owner = open_event_bus(cfg.db, *db);
  event_bus& bus = *bus_owner;
  lock_settings lock_cfg{.ttl = seconds(cfg.lock_ttl),
                         .control_grace = seconds(cfg.control_grace),
                         .offer_timeout = seconds(cfg.offer_timeout),
                         .attempts_per_second = cfg.lock_rate};

  auth_service auth(*db, clock, bus, sign_in_lifetime);
  user_service users(*db, clock, bus);
  appointment_service appointments(*db, clock, bus, lock_cfg.ttl);
  lock_service locks(*db, clock, bus, lock_cfg);
  if (cfg.demo) seed_demo(*db, users, clock);

  // Declared before the io_context: connections still open when it is
  // destroyed count themselves out of it.
  metrics stats;
  const int threads = io_threads(cfg);
  asio::io_context ioc(threads);
  asio::thread_pool blocking(4);
  // Writes, committed in batches by one thread (group commit).
  write_batcher writes(*db);
  // argon2id on its own: two at a time (64 MiB each), 32 waiting, then 503 + Retry-After.
  bounded_pool sign_in(2, 32);

  const ws_limits socket_limits{.idle_timeout = seconds(cfg.ws_idle_timeout)};
  // The keep-alive sweep runs at a third of the idle timeout: silence is noticed within 4/3 of it.
  hub rooms(ioc, blocking, locks, appointments, clock,
            {.disconnect_grace = seconds(cfg.disconnect_grace), .keepalive_every = socket_limits.idle_timeout / 3});
  rooms.start(bus);
  locks.on_tab_presence(
      [&rooms](const std::string& appointment_id, const std::string& user_id, const std::string& session_id) {
        return rooms.tab_open(appointment_id, {user_id, session_id});
      });

  router routes;
  audit_service audit(*db);
  const api_context api{.auth = &auth,
                        .users = &users,
                        .appointments = &appointments,
                        .locks = &locks,
                        .audit = &audit,
                        .stats = &stats,
                        .time = &clock,
                        .blocking = &blocking,
                        .writes = &writes,
                        .position_of =
                            [&rooms](const lock_record& l) {
                              return rooms.position_of(l.appointment_id, {l.holder.id, l.session_id});
                            },
                        .sign_in = &sign_in,
                        .check_store = [&db] { db->ping(); },
                        .time_zone = cfg.time_zone,
                        .demo = cfg.demo};
  add_api_routes(routes, api);
  add_openapi_route(routes);
  std::optional<static_files> web;
  if (!cfg.static_dir.empty()) web.emplace(cfg.static_dir);
  http_server server(ioc, std::move(routes), std::move(web), auth, stats, blocking,
                     {.max_connections = connection_budget(static_cast<std::size_t>(cfg.max_connections))});
  server.trust_proxies(trusted_proxies(cfg.trusted_proxies));
  server.allow_metrics(address_set(cfg.metrics_allow, "--metrics-allow"));
  add_collectors(stats, locks, rooms, store_stats);

  ws_endpoint sockets(rooms, auth, locks, blocking, writes, cfg.allowed_origins, stats, socket_limits);
  server.on_upgrade([&sockets](boost::beast::tcp_stream stream, http_request req, std::string client_address,
                               connection_lease lease) {
    return sockets.handle(std::move(stream), std::move(req), std::move(client_address), std::move(lease));
  });

  const auto bound = server.listen({asio::ip::make_address(cfg.host), static_cast<unsigned short>(cfg.port)});
  expiry_timer expiry(ioc, blocking, locks);
  expiry.start();
  // Grants and control requests made by other processes sharing the store
  // arrive as events: they may bring the next expiry forward.
  bus.subscribe([&expiry](const event& e) {
    if (const auto* l = std::get_if<lock_event>(&e)) {
      if (l->lock) expiry.notice(l->lock->expires_at);
      if (l->deadline) expiry.notice(*l->deadline);
    }
  });
  bus.on_resync([&expiry, &clock] { expiry.notice(clock.now()); });

  // First signal: stop accepting, finish what is in flight (bounded), stop.
  // Second signal: exit at once.
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  asio::steady_timer deadline(ioc);
  bool stopping = false;
  std::function<void(const boost::system::error_code&, int)> on_signal = [&](const boost::system::error_code& ec,
                                                                             int sig) {
    if (ec) return;
    if (stopping) {
      spdlog::warn("second signal {}: exiting now", sig);
      std::_Exit(1);
    }
    stopping = true;
    spdlog::info("signal {}: finishing requests in flight, then stopping", sig);
    expiry.stop();
    rooms.stop();
    server.shutdown([&ioc] { asio::post(ioc, [&ioc] { ioc.stop(); }); });
    deadline.expires_after(shutdown_bound);
    deadline.async_wait([&ioc](const boost::system::error_code& e) {
      if (!e) {
        spdlog::warn("requests still in flight after the shutdown bound; stopping anyway");
        ioc.stop();
      }
    });
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);

  spdlog::info("slotlock listening on http://{}:{} ({} I/O threads, store {})", bound.address().to_string(),
               bound.port(), threads,
               cfg.db.substr(0, cfg.db.find("://") == std::string::npos ? cfg.db.size() : cfg.db.find("://")));
  spdlog::default_logger()->flush();

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  blocking.join();
  sign_in.join();
  writes.stop();
  if (writes.batches() > 0)
    spdlog::info("group commit: {} writes in {} batches ({:.1f} a batch)", writes.writes(), writes.batches(),
                 static_cast<double>(writes.writes()) / static_cast<double>(writes.batches()));
  // The bus's own thread calls into the hub and the timer: it stops first.
  bus_owner.reset();
  spdlog::info("stopped");
  return 0;
}

}  // namespace slotlock
