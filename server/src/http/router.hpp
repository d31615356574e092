#pragma once
// The route table: method + path pattern ("/api/appointments/:id/heartbeat")
// to a handler, with path parameters and sign-in required unless said.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/url/url_view.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/user.hpp"

namespace slotlock {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

struct request_context {
  const http_request& req;
  boost::urls::url_view url;
  std::string client_address;
  std::vector<std::pair<std::string, std::string>> params;
  std::optional<user> caller;  // set on routes that need sign-in

  const std::string& param(std::string_view name) const;
  // A query parameter, decoded; nullopt when absent.
  std::optional<std::string> query(std::string_view name) const;
  // Every value of a query parameter given several times, decoded, in order.
  std::vector<std::string> query_all(std::string_view name) const;
  const user& me() const { return *caller; }
};

using route_handler = std::function<boost::asio::awaitable<http_response>(request_context&)>;

struct route {
  http::verb method;
  std::string pattern;
  route_handler handler;
  bool public_route = false;  // no sign-in needed
};

class router {
 public:
  void add(route r);

  struct match {
    const route* found = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
    bool path_known = false;  // some route has this path, maybe with another method
  };
  match find(http::verb method, const boost::urls::url_view& url) const;

 private:
  std::vector<route> routes_;
};

// Every line of a header joined with commas (RFC 9110 §5.3); nullopt when there is none.
// `Name`: an http::field or the header's name.
template <class Name>
std::optional<std::string> header_lines(const http_request& req, Name name) {
  std::optional<std::string> out;
  for (auto [it, end] = req.equal_range(name); it != end; ++it) {
    if (out)
      *out += ',';
    else
      out.emplace();
    *out += it->value();
  }
  return out;
}

// The token of "Authorization: Bearer <token>"; empty without one.
std::string_view bearer_token(const http_request& req);

// JSON responses.
http_response json_response(const http_request& req, http::status status, const std::string& body);
http_response error_response(const http_request& req, const error& e);
http_response no_content(const http_request& req);  // 204

}  // namespace slotlock
