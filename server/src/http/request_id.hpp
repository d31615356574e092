#pragma once
// Every request has an id that ties a client's error to the server's log line: the client's
// own X-Request-Id when it sends a usable one (a proxy's, a test's), else one made here. It
// travels on the request itself (http_server sets the header once it has read the request),
// so whatever answers — a route, an error, a static file, a WebSocket refusal — finds it there
// and returns it: in X-Request-Id, and as error.requestId in an error body.

#include <boost/beast/http/fields.hpp>

#include <string>
#include <string_view>

namespace slotlock {

inline constexpr std::string_view request_id_header = "X-Request-Id";

// 1–128 of A–Z a–z 0–9 and - _ . : / + = (UUIDs, hex, base64, a proxy's "host:n").
bool valid_request_id(std::string_view id);

// A new id, unique across processes and restarts: 24 lowercase hex digits (a random prefix
// drawn once per process, then a counter). No system call, no lock.
std::string new_request_id();

// The request's usable X-Request-Id, else a new one. Several headers, or an unusable one,
// are replaced: an id is something to search the log for, not more client text.
std::string request_id_of(const boost::beast::http::fields& request);

}  // namespace slotlock
