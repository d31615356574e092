#include "http/security_headers.hpp"

#include "http/request_id.hpp"

namespace slotlock {

namespace http = boost::beast::http;

namespace {

void add_security_headers(http::fields& h) {
  h.set("Content-Security-Policy", content_security_policy);
  // Our own pages still learn where a navigation came from; other sites get nothing (appointment
  // ids in our paths stay out of their logs).
  h.set("Referrer-Policy", "same-origin");
  h.set("X-Content-Type-Options", "nosniff");
  h.set(http::field::x_frame_options, "DENY");
}

}  // namespace

void add_answer_headers(const http::fields& request, http::fields& answer) {
  add_security_headers(answer);
  if (const auto id = request[request_id_header]; !id.empty()) answer.set(request_id_header, id);
}

}  // namespace slotlock
