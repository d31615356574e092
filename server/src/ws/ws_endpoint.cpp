#include "ws/ws_endpoint.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include "domain/appointment_service.hpp"
#include "domain/auth_service.hpp"
#include "http/blocking.hpp"
#include "http/metrics.hpp"
#include "store/store.hpp"
#include "ws/hub.hpp"

namespace slotlock {

namespace asio = boost::asio;
using asio::use_awaitable;

namespace {

constexpr std::size_t max_session_id = 128;

// "https://Host:port/" → "host:port"
std::string authority_of(std::string_view origin) {
  const auto scheme_end = origin.find("://");
  if (scheme_end != std::string_view::npos) origin.remove_prefix(scheme_end + 3);
  origin = origin.substr(0, origin.find('/'));
  std::string out(origin);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

ws_endpoint::ws_endpoint(hub& h, auth_service& auth, appointment_service& appointments, asio::thread_pool& blocking,
                         std::vector<std::string> allowed_origins, metrics& stats, ws_limits limits)
    : hub_(h),
      auth_(auth),
      appointments_(appointments),
      blocking_(blocking),
      allowed_origins_(std::move(allowed_origins)),
      stats_(stats),
      limits_(limits) {
  for (auto& o : allowed_origins_) o = authority_of(o);
}

bool ws_endpoint::origin_allowed(const http_request& req) const {
  const auto origin = req[http::field::origin];
  if (origin.empty()) return true;  // not a browser: nothing cross-site to fear
  const auto from = authority_of(origin);
  if (from == authority_of(req[http::field::host])) return true;
  return std::find(allowed_origins_.begin(), allowed_origins_.end(), from) != allowed_origins_.end();
}

asio::awaitable<void> ws_endpoint::handle(boost::beast::tcp_stream stream, http_request req, std::string client_address) {
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
      } else if (id.session_id.empty() || id.session_id.size() > max_session_id) {
        refusal = make_error(errc::bad_request, "sessionId must be a non-empty string of at most 128 characters.");
      } else {
        auto who = co_await offload(blocking_, [&] { return auth_.redeem_ws_ticket(ticket); });
        if (!who) {
          refusal = who.err();
        } else {
          id.who = std::move(*who);
          id.color = color_for(id.who.id);
          if (room) {
            auto found = co_await offload(blocking_, [&] { return appointments_.get(id.room); });
            if (!found) refusal = found.err();
          }
        }
      }
    }
  } catch (const store_error& e) {
    spdlog::error("store failure on a WebSocket upgrade: {}", e.what());
    refusal = make_error(errc::store_unavailable, "The data store is not available right now. Try again shortly.");
  }

  if (refusal) {
    auto res = error_response(req, *refusal);
    res.keep_alive(false);
    stats_.record_request("GET", route, res.result_int(), std::chrono::steady_clock::now() - started);
    spdlog::info("GET {} {} from {}: {} (WebSocket refused)", route, res.result_int(), client_address,
                 refusal->message);
    stream.expires_after(std::chrono::seconds(5));
    co_await http::async_write(stream, res, asio::as_tuple(use_awaitable));
    boost::beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    co_return;
  }

  stats_.record_request("GET", route, 101, std::chrono::steady_clock::now() - started);
  spdlog::info("GET {} 101 {} tab {}", route, id.who.email, id.session_id);
  auto session = std::make_shared<ws_session>(std::move(stream), std::move(id), hub_, limits_);
  co_await session->run(std::move(req));
}

}  // namespace slotlock
