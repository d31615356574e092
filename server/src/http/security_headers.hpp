#pragma once
// Headers every answer carries (API, errors, static files and their 304s, /metrics, /healthz,
// WebSocket handshakes and refusals): the browser runs only our own scripts, never frames us,
// sends a referrer to our own origin only and does not guess types. The one place such headers
// are added: a header every answer needs goes here. The request's id (http/request_id.hpp) is
// one: any answer can be found in the log.

#include <boost/beast/http/fields.hpp>

#include <string_view>

namespace slotlock {

// Scripts only from our origin, no inline script; inline styles stay allowed (motion animates
// through the style attribute). Pinned by test_edge.py and checked against the built web app.
inline constexpr std::string_view content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

// The security headers, and the request's X-Request-Id (set on the request by http_server).
void add_answer_headers(const boost::beast::http::fields& request, boost::beast::http::fields& answer);

}  // namespace slotlock
