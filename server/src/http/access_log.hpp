#pragma once
// The log: one line per event on standard output, as text for a person or as one JSON object
// a line for a collector (--log-format). Every line has its time and level; a request's line
// (log_access) also its id, method, path, route, status, duration, user and client address.
// Client text reaches a line only through log_text (no control characters, bounded), and in
// JSON through a JSON string escape as well.

#include <spdlog/common.h>

#include <chrono>
#include <string_view>

namespace slotlock {

enum class log_format { text, json };

// Sets up the process's loggers (asynchronous: a line costs the caller a queue push, not a
// write(2)). Call once, first thing; spdlog::shutdown() drains them.
void start_logging(log_format format, spdlog::level::level_enum level);

struct access_entry {
  std::string_view request_id;
  std::string_view method;  // client text
  std::string_view target;  // client text; the query string is never logged
  std::string_view route;   // the route's pattern or a fixed name
  unsigned status = 0;
  std::chrono::duration<double> duration{};
  std::string_view user_id;  // empty when no one signed in
  std::string_view client;   // the client's address (X-Forwarded-For from a trusted proxy)
};

void log_access(const access_entry& e);

class metrics;

// One answered request (HTTP, or a WebSocket upgrade taken or refused): counted in /metrics by
// route, method and status, and logged.
void answered(metrics& stats, const access_entry& e);

// JSON string escape (quotes included) of text that may not be valid UTF-8: an invalid byte
// becomes U+FFFD. Exposed for its unit test.
void append_json_string(std::string& out, std::string_view text);

}  // namespace slotlock
