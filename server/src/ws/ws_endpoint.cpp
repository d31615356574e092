#include "ws/ws_endpoint.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

#include "domain/auth_service.hpp"
#include "domain/lock_service.hpp"
#include "domain/session_id.hpp"
#include "http/access_log.hpp"
#include "http/metrics.hpp"
#include "http/request_id.hpp"
#include "rooms/hub.hpp"
#include "runtime/blocking.hpp"
#include "runtime/write_batcher.hpp"

namespace slotlock {

namespace asio = boost::asio;
using asio::use_awaitable;

namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "HTTPS://Host:port" → "https://host:port"; empty unless the scheme is http
// or https and an authority follows (an Origin header has no path).
std::string normalised_origin(std::string_view origin) {
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const auto scheme = lowercase(origin.substr(0, scheme_end));
  auto authority = origin.substr(scheme_end + 3);
  if (!authority.empty() && authority.back() == '/') authority.remove_suffix(1);  // a configured "https://x/"
  if ((scheme != "http" && scheme != "https") || authority.empty() ||
      authority.find_first_of("/?#@ ") != std::string_view::npos)
    return {};
  return scheme + "://" + lowercase(authority);
}

}  // namespace

ws_endpoint::ws_endpoint(hub& h, auth_service& auth, lock_service& locks, asio::thread_pool& blocking,
                         write_batcher& writes, std::vector<std::string> allowed_origins, metrics& stats,
                         ws_limits limits)
    : hub_(h),
      auth_(auth),
      locks_(locks),
      blocking_(blocking),
      writes_(writes),
      allowed_origins_(std::move(allowed_origins)),
      stats_(stats),
      limits_(std::make_shared<const ws_limits>(limits)) {
  for (auto& o : allowed_origins_) {
    auto normal = normalised_origin(o);
    if (normal.empty())
      throw std::invalid_argument("--allowed-origin must be http(s)://host[:port], not \"" + o + "\"");
    o = std::move(normal);
  }
}

bool ws_endpoint::origin_allowed(const http_request& req) const {
  const auto header = req[http::field::origin];
  if (header.empty()) return true;  // not a browser: nothing cross-site to fear
  const auto from = normalised_origin(header);
  if (from.empty()) return false;  // "null", evil://…, anything but a web page's origin
  // The page's own host, over http or https (behind a TLS proxy the server sees http).
  const auto host = lowercase(req[http::field::host]);
  if (!host.empty() && (from == "http://" + host || from == "https://" + host)) return true;
  return std::find(allowed_origins_.begin(), allowed_origins_.end(), from) != allowed_origins_.end();
}

asio::awaitable<void> ws_endpoint::handle(boost::beast::tcp_stream stream, http_request req, std::string client_address,
                                          connection_lease lease) {
  const auto started = std::chrono::steady_clock::now();
  std::string route = "unmatched";
  std::optional<error> refusal;
  ws_session::identity id;

  auto parsed = boost::urls::parse_origin_form(req.target());
  std::vector<std::string> segments;
  if (parsed)
    for (auto s : parsed->segments()) segments.emplace_back(s);
  const bool feed = segments == std::vector<std::string>{"api", "updates"};
  const bool room = segments.size() == 4 && segments[0] == "api" && segments[1] == "appointments" &&
                    segments[3] == "updates" && !segments[2].empty();
  auto query = [&](std::string_view name) -> std::string {
    auto params = parsed->params();
    auto it = params.find(name);
    return it == params.end() ? std::string{} : std::string((*it).value);
  };

  try {
    if (!feed && !room) {
      refusal = make_error(errc::route_not_found, "There is no WebSocket here.");
    } else {
      route = feed ? "/api/updates" : "/api/appointments/:id/updates";
      id.room = feed ? "" : segments[2];
      id.session_id = query("sessionId");
      const auto ticket = query("ticket");
      if (!origin_allowed(req)) {
        refusal = make_error(errc::forbidden, "This origin may not open slotlock's WebSockets.");
      } else if (!valid_session_id(id.session_id)) {
        refusal = make_error(errc::bad_request, std::string(session_id_rule));
      } else {
        auto owner = co_await writes_.run([&] { return auth_.redeem_ws_ticket(ticket); });
        if (!owner) {
          refusal = owner.err();
        } else {
          id.who = std::move(owner->who);
          // A socket may live for hours: it keeps who the user is, not their password hash.
          std::string().swap(id.who.password_hash);
          id.auth_session = std::move(owner->auth_session);
          id.color = color_for(id.who.id);
          if (room) {
            auto remembered = locks_.status_from_memory(id.room);
            if (!remembered) remembered.emplace(co_await offload(blocking_, [&] { return locks_.status(id.room); }));
            const auto& lock = *remembered;
            if (!lock)
              refusal = lock.err();
            else
              id.holds_lock = lock->has_value() && (*lock)->holder.id == id.who.id;
          }
        }
      }
    }
  } catch (const busy_error& e) {
    spdlog::warn("too busy for a WebSocket upgrade: {}", e.what());
    refusal = make_error(errc::busy, "Too many changes are landing at once. Try again in a moment.");
    refusal->retry_after_seconds = 1;
  } catch (const store_error& e) {
    spdlog::error("store failure on a WebSocket upgrade: {}", e.what());
    refusal = make_error(errc::store_unavailable, "The data store is not available right now. Try again shortly.");
  }

  if (refusal) {
    auto res = error_response(req, *refusal);
    res.keep_alive(false);
    answered(stats_, {.request_id = req[request_id_header],
                      .method = "GET",
                      .target = route,
                      .route = route,
                      .status = res.result_int(),
                      .duration = std::chrono::steady_clock::now() - started,
                      .user_id = id.who.id,
                      .client = client_address});
    stream.expires_after(std::chrono::seconds(5));
    co_await http::async_write(stream, res, asio::as_tuple(use_awaitable));
    boost::beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    co_return;
  }

  answered(stats_, {.request_id = req[request_id_header],
                    .method = "GET",
                    .target = route,
                    .route = route,
                    .status = 101,
                    .duration = std::chrono::steady_clock::now() - started,
                    .user_id = id.who.id,
                    .client = client_address});
  auto session = std::make_shared<ws_session>(stream.release_socket(), std::move(id), hub_, limits_, std::move(lease));
  if (!co_await session->accept(req)) co_return;
  asio::co_spawn(
      session->get_executor(), [session] { return session->run(); }, asio::detached);
}

}  // namespace slotlock
