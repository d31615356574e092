#include "http/http_server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/url/parse.hpp>

#include <array>
#include <tuple>
#include <variant>

#include "domain/auth_service.hpp"
#include "http/access_log.hpp"
#include "http/log_text.hpp"
#include "http/metrics.hpp"
#include "http/request_id.hpp"
#include "runtime/blocking.hpp"

namespace slotlock {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

struct http_server::reply {
  // A JSON answer is written by its own serializer: the header's fields and the body go out in
  // one sendmsg whatever their number. (A message_generator gathers at most 12 buffers a write,
  // one a field: past 8 fields the body took a second system call.) Static files and HEAD
  // answers keep the generator.
  std::variant<http_response, http::message_generator> message;
  unsigned status;
  std::string route;
  bool keep_alive;
  std::string user_id;  // who was signed in, for the log; empty when no one
};

http_server::http_server(asio::io_context& ioc, router routes, std::optional<static_files> web, auth_service& auth,
                         metrics& stats, asio::thread_pool& blocking, http_limits limits)
    : ioc_(ioc),
      acceptor_(asio::make_strand(ioc)),
      routes_(std::move(routes)),
      web_(std::move(web)),
      auth_(auth),
      stats_(stats),
      blocking_(blocking),
      limits_(limits) {}

tcp::endpoint http_server::listen(const tcp::endpoint& at) {
  acceptor_.open(at.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(at);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
  return acceptor_.local_endpoint();
}

awaitable<void> http_server::accept_loop() {
  while (!stopping_) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), asio::as_tuple(use_awaitable));
    if (ec == asio::error::operation_aborted || stopping_) co_return;
    if (ec) {
      // Out of descriptors and the like: say so, keep serving those we have,
      // and wait a moment rather than spin on an error that persists.
      spdlog::warn("accept failed, pausing 100 ms: {}", ec.message());
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::as_tuple(use_awaitable));
      continue;
    }
    if (open_connections_->load() >= limits_.max_connections) {
      // Closed at once, without reading or answering: the descriptor comes straight back, and
      // a client (or a load balancer) learns now rather than after a timeout.
      stats_.connection_refused();
      boost::system::error_code ignored;
      socket.close(ignored);
      const auto now = std::chrono::steady_clock::now();
      if (now - refusal_logged_ >= std::chrono::seconds(1)) {
        refusal_logged_ = now;
        spdlog::warn("{} connections open (--max-connections): closing new ones until some end",
                     limits_.max_connections);
      }
      continue;
    }
    ++*open_connections_;
    // Small JSON answers and WebSocket frames must not wait for the peer's
    // delayed acknowledgement.
    boost::system::error_code nd;
    socket.set_option(tcp::no_delay(true), nd);
    auto ex = socket.get_executor();
    asio::co_spawn(ex, session(std::move(socket)), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("connection ended by an unexpected error: {}", log_text(ex.what(), 1024));
      }
    });
  }
}

awaitable<void> http_server::session(tcp::socket socket) {
  stats_.connection_opened();
  // Counted out when the last holder lets go: this coroutine, or the WebSocket it became.
  struct closed_guard {
    closed_guard(metrics& m, std::shared_ptr<std::atomic<std::size_t>> open) : m(m), open(std::move(open)) {}
    closed_guard(const closed_guard&) = delete;
    closed_guard& operator=(const closed_guard&) = delete;
    ~closed_guard() {
      m.connection_closed();
      --*open;
    }
    metrics& m;
    std::shared_ptr<std::atomic<std::size_t>> open;
  };
  connection_lease lease = std::make_shared<const closed_guard>(stats_, open_connections_);

  beast::error_code ep_ec;
  const auto peer = socket.remote_endpoint(ep_ec);
  const std::string peer_address = ep_ec ? "unknown" : unmapped(peer.address()).to_string();
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;

  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits_.header_limit));
    parser.body_limit(limits_.body_limit);
    stream.expires_after(limits_.read_timeout);
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(use_awaitable));
    if (ec) {
      if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message) {
        // The client sent something we will not read: say why, then close.
        const bool too_big = ec == http::error::body_limit;
        const auto status = too_big                           ? http::status::payload_too_large
                            : ec == http::error::header_limit ? http::status::request_header_fields_too_large
                                                              : http::status::bad_request;
        http_request dummy;
        dummy.set(request_id_header, new_request_id());
        auto res = error_response(
            dummy, make_error(too_big ? errc::payload_too_large : errc::bad_request,
                              too_big ? "The request body is larger than 64 KiB." : "The request could not be read."));
        res.result(status);
        res.keep_alive(false);
        stream.expires_after(std::chrono::seconds(5));
        auto [wec, written] = co_await http::async_write(stream, res, asio::as_tuple(use_awaitable));
        answered(stats_, {.request_id = dummy[request_id_header],
                          .method = "-",
                          .target = "-",
                          .route = too_big ? "payload_too_large" : "unreadable",
                          .status = static_cast<unsigned>(status),
                          .client = peer_address});
        if (!wec) co_await linger(stream);
        co_return;
      }
      break;
    }

    http_request req = parser.release();
    // From here on the request carries its id: every answer made from it returns the id.
    req.set(request_id_header, request_id_of(req));
    // Per request: a proxy's connection carries many clients' requests.
    const std::string client_address =
        ep_ec || proxies_.empty()
            ? peer_address
            : proxies_.client_address(peer.address(), header_lines(req, "X-Forwarded-For").value_or(""));
    if (beast::websocket::is_upgrade(req) && upgrade_) {
      stream.expires_never();
      co_await upgrade_(std::move(stream), std::move(req), client_address, std::move(lease));
      co_return;
    }

    ++in_flight_;
    const auto started = std::chrono::steady_clock::now();
    auto r = co_await dispatch(req, client_address);
    const auto target = req.target();
    answered(stats_, {.request_id = req[request_id_header],
                      .method = req.method_string(),
                      .target = target.substr(0, target.find('?')),
                      .route = r.route,
                      .status = r.status,
                      .duration = std::chrono::steady_clock::now() - started,
                      .user_id = r.user_id,
                      .client = client_address});

    const bool keep_alive = r.keep_alive && !stopping_;
    beast::error_code wec;
    if (auto* res = std::get_if<http_response>(&r.message))
      std::tie(wec, std::ignore) = co_await http::async_write(stream, *res, asio::as_tuple(use_awaitable));
    else
      std::tie(wec, std::ignore) = co_await beast::async_write(
          stream, std::move(std::get<http::message_generator>(r.message)), asio::as_tuple(use_awaitable));
    request_done();
    if (wec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

awaitable<void> http_server::linger(beast::tcp_stream& stream) {
  // Closing with unread bytes in the receive buffer makes the kernel send a reset, and a
  // client still uploading then loses the answer it has not read yet. So: end our side, and
  // read what still comes until the client stops, bounded in time and bytes.
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  const auto until = std::chrono::steady_clock::now() + limits_.linger_time;
  std::array<char, 16 * 1024> sink;
  std::size_t drained = 0;
  while (drained < limits_.linger_bytes) {
    const auto left = until - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) break;
    stream.expires_after(std::min<std::chrono::steady_clock::duration>(left, limits_.linger_idle));
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(use_awaitable));
    if (ec) break;  // the client closed (what we wanted), or went quiet
    drained += n;
  }
}

awaitable<http_server::reply> http_server::dispatch(const http_request& req, const std::string& client_address) {
  std::string user_id;  // set once the caller is known
  auto plain = [&](http_response res, std::string route) {
    const unsigned status = res.result_int();
    const bool keep = res.keep_alive();
    if (req.method() == http::verb::head) {
      // The GET answer's headers, Content-Length included, and not one byte of body: the
      // client reads none, and a body would be taken for the next answer on the connection.
      return reply{http::message_generator(http::response<http::empty_body>(std::move(res.base()))), status,
                   std::move(route), keep, std::move(user_id)};
    }
    return reply{std::move(res), status, std::move(route), keep, std::move(user_id)};
  };

  auto parsed = boost::urls::parse_origin_form(req.target());
  if (!parsed)
    co_return plain(error_response(req, make_error(errc::bad_request, "The request target is not a valid path.")),
                    "unparsable");
  const auto url = *parsed;
  const std::string path = url.path();

  const bool probe = path == "/healthz" || path == "/metrics";
  if (probe && req.method() != http::verb::get && req.method() != http::verb::head)
    co_return plain(error_response(req, make_error(errc::method_not_allowed, "This method is not allowed here.")),
                    "unmatched");
  if (path == "/healthz") co_return plain(json_response(req, http::status::ok, R"({"status":"ok"})"), "/healthz");
  if (path == "/metrics") {
    if (!metrics_allowed_.empty() && !metrics_allowed_.contains(client_address))
      co_return plain(error_response(req, make_error(errc::forbidden, "Metrics are not served to this address.")),
                      "/metrics");
    // Off the I/O thread: the collectors read /proc, and the locks held may need the store.
    auto text = co_await offload(blocking_, [this] { return stats_.render(); });
    auto res = json_response(req, http::status::ok, text);
    res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    co_return plain(std::move(res), "/metrics");
  }

  // Routed, never the web app: a probe or a client that asks a misspelt API path must not get HTML.
  const bool api = path == "/api" || path.starts_with("/api/") || path == "/readyz";
  if (!api) {
    if ((req.method() == http::verb::get || req.method() == http::verb::head) && web_) {
      if (auto file = web_->serve(req, url))
        co_return reply{std::move(file->first), file->second, "static", req.keep_alive(), {}};
    }
    co_return plain(error_response(req, make_error(errc::route_not_found, "Nothing is here.")), "unmatched");
  }

  auto m = routes_.find(req.method(), url);
  if (!m.found) {
    auto e = m.path_known ? make_error(errc::method_not_allowed, "This method is not allowed here.")
                          : make_error(errc::route_not_found, "There is no such API route.");
    co_return plain(error_response(req, e), "unmatched");
  }
  const std::string& route = m.found->pattern;

  request_context ctx{req, url, client_address, std::move(m.params), std::nullopt};
  try {
    if (!m.found->public_route) {
      const std::string token(bearer_token(req));
      // From memory when the session is remembered (no other thread); else the store says.
      // (No co_await inside ?: — GCC 12 miscompiles it.)
      auto who = auth_.authenticate_from_memory(token);
      if (!who) who.emplace(co_await offload(blocking_, [&] { return auth_.authenticate(token); }));
      if (!*who) co_return plain(error_response(req, who->err()), route);
      ctx.caller = std::move(**who);
      user_id = ctx.caller->id;
    }
    co_return plain(co_await m.found->handler(ctx), route);
  } catch (const busy_error& e) {
    spdlog::warn("too busy for {} {} (request {}): {}", log_text(req.method_string(), 32), route,
                 req[request_id_header], e.what());
    auto busy = make_error(errc::busy, "Too many changes are landing at once. Try again in a moment.");
    busy.retry_after_seconds = 1;
    co_return plain(error_response(req, busy), route);
  } catch (const store_error& e) {
    spdlog::error("store failure on {} {} (request {}): {}", log_text(req.method_string(), 32), route,
                  req[request_id_header], log_text(e.what(), 1024));
    co_return plain(error_response(req, make_error(errc::store_unavailable,
                                                   "The data store is not available right now. Try again shortly.")),
                    route);
  } catch (const std::exception& e) {
    spdlog::error("unexpected failure on {} {} (request {}): {}", log_text(req.method_string(), 32), route,
                  req[request_id_header], log_text(e.what(), 1024));
    co_return plain(error_response(req, make_error(errc::internal, "Something went wrong on the server.")), route);
  }
}

void http_server::request_done() {
  if (--in_flight_ == 0 && stopping_ && drained_ && !drained_called_.exchange(true)) drained_();
}

void http_server::shutdown(std::function<void()> drained) {
  drained_ = std::move(drained);
  stopping_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  if (in_flight_ == 0 && !drained_called_.exchange(true)) drained_();
}

}  // namespace slotlock
