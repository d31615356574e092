#include "http/security_headers.hpp"

namespace slotlock {

namespace http = boost::beast::http;

void add_security_headers(http::fields& h) {
  h.set("Content-Security-Policy", content_security_policy);
  h.set("Referrer-Policy", "no-referrer");
  h.set("X-Content-Type-Options", "nosniff");
  h.set(http::field::x_frame_options, "DENY");
}

}  // namespace slotlock
