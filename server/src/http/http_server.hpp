#pragma once
// Accepts connections and serves each on its own strand: one coroutine per
// connection reads requests with a deadline and a body limit, dispatches them
// (API routes, /healthz, /metrics, the web app), and writes the answers.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "http/client_address.hpp"
#include "http/connection_lease.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace slotlock {

class auth_service;
class metrics;

struct http_limits {
  std::size_t body_limit = 64 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::seconds read_timeout{30};  // also the keep-alive idle time
  // Open connections, WebSockets included; past it a new connection is closed at once.
  std::size_t max_connections = 10'000;
  // After an error answer to a request still arriving (413, 431, 400), the rest is read and
  // dropped so that the close does not reset the answer away (nginx's lingering close):
  // until the client stops sending, at most this long in all, this long between reads, and
  // this many bytes.
  std::chrono::seconds linger_time{30};
  std::chrono::seconds linger_idle{5};
  std::size_t linger_bytes = 64 * 1024 * 1024;
};

class http_server {
 public:
  // Takes over a WebSocket upgrade request: the stream and the connection's lease are the
  // handler's. The HTTP session ends when the handler returns.
  using upgrade_handler = std::function<boost::asio::awaitable<void>(boost::beast::tcp_stream, http_request,
                                                                     std::string client_address, connection_lease)>;

  http_server(boost::asio::io_context& ioc, router routes, std::optional<static_files> web, auth_service& auth,
              metrics& stats, boost::asio::thread_pool& blocking, http_limits limits = {});

  // Binds and starts accepting; returns the bound endpoint (port 0 picks one).
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& at);
  void on_upgrade(upgrade_handler h) { upgrade_ = std::move(h); }
  // Peers whose X-Forwarded-For names the client (--trusted-proxy).
  void trust_proxies(trusted_proxies proxies) { proxies_ = std::move(proxies); }
  // Only these clients get /metrics (--metrics-allow); empty: everyone.
  void allow_metrics(address_set from) { metrics_allowed_ = std::move(from); }

  // Stops accepting; `drained` runs once no request is in flight.
  void shutdown(std::function<void()> drained);

 private:
  struct reply;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<void> linger(boost::beast::tcp_stream& stream);
  boost::asio::awaitable<reply> dispatch(const http_request& req, const std::string& client_address);
  void request_done();

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  router routes_;
  std::optional<static_files> web_;
  auth_service& auth_;
  metrics& stats_;
  boost::asio::thread_pool& blocking_;
  http_limits limits_;
  upgrade_handler upgrade_;
  trusted_proxies proxies_;
  address_set metrics_allowed_;

  // Shared with every session: a session still open when the io_context is destroyed (after
  // this server) counts itself out of it then.
  std::shared_ptr<std::atomic<std::size_t>> open_connections_ = std::make_shared<std::atomic<std::size_t>>(0);
  std::chrono::steady_clock::time_point refusal_logged_{};  // the acceptor's strand only

  std::atomic<int> in_flight_{0};
  std::atomic<bool> stopping_{false};
  std::function<void()> drained_;
  std::atomic<bool> drained_called_{false};
};

}  // namespace slotlock
