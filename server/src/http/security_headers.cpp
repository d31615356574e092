#include "http/security_headers.hpp"

namespace slotlock {

namespace http = boost::beast::http;

void add_security_headers(http::fields& h) {
  h.set("Content-Security-Policy", content_security_policy);
  // Our own pages still learn where a navigation came from; other sites get nothing (appointment
  // ids in our paths stay out of their logs).
  h.set("Referrer-Policy", "same-origin");
  h.set("X-Content-Type-Options", "nosniff");
  h.set(http::field::x_frame_options, "DENY");
}

}  // namespace slotlock
