#pragma once
// The one place where a domain error becomes an HTTP status and error body.

#include <boost/beast/http/status.hpp>
#include <boost/json/object.hpp>

#include <string_view>

#include "domain/error.hpp"

namespace slotlock {

struct http_error_kind {
  boost::beast::http::status status;
  std::string_view code;
};

http_error_kind classify(errc code);
// {"error":{"code","message", ...details}}
boost::json::object error_body(const error& e);

}  // namespace slotlock
