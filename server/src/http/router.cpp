#include "http/router.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include "http/error_mapping.hpp"
#include "http/request_id.hpp"
#include "http/security_headers.hpp"

namespace slotlock {

namespace {

std::vector<std::string> split(std::string_view pattern) {
  std::vector<std::string> out;
  std::size_t pos = 1;
  while (pos <= pattern.size()) {
    auto next = pattern.find('/', pos);
    if (next == std::string_view::npos) next = pattern.size();
    out.emplace_back(pattern.substr(pos, next - pos));
    pos = next + 1;
  }
  return out;
}

}  // namespace

const std::string& request_context::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  static const std::string none;
  return none;
}

std::optional<std::string> request_context::query(std::string_view name) const {
  auto params = url.params();
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

std::vector<std::string> request_context::query_all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& p : url.params())
    if (p.key == name) out.emplace_back(p.value);
  return out;
}

void router::add(route r) { routes_.push_back(std::move(r)); }

router::match router::find(http::verb method, const boost::urls::url_view& url) const {
  std::vector<std::string> segments;
  for (auto s : url.segments()) segments.emplace_back(s);
  match m;
  for (const auto& r : routes_) {
    const auto parts = split(r.pattern);
    if (parts.size() != segments.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool same = true;
    for (std::size_t i = 0; i < parts.size() && same; ++i) {
      if (!parts[i].empty() && parts[i][0] == ':') {
        if (segments[i].empty())
          same = false;
        else
          params.emplace_back(parts[i].substr(1), segments[i]);
      } else {
        same = parts[i] == segments[i];
      }
    }
    if (!same) continue;
    m.path_known = true;
    if (r.method == method || (method == http::verb::head && r.method == http::verb::get)) {
      m.found = &r;
      m.params = std::move(params);
      return m;
    }
  }
  return m;
}

http_response json_response(const http_request& req, http::status status, const std::string& body) {
  http_response res{status, req.version()};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  add_answer_headers(req, res);
  res.keep_alive(req.keep_alive());
  res.body() = body;
  res.prepare_payload();
  return res;
}

http_response no_content(const http_request& req) {
  http_response res{http::status::no_content, req.version()};
  add_answer_headers(req, res);
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

http_response error_response(const http_request& req, const error& e) {
  auto body = error_body(e);
  // The id to quote when reporting the error; the same one is in the log line.
  if (const auto id = req[request_id_header]; !id.empty()) body["error"].as_object()["requestId"] = id;
  auto res = json_response(req, classify(e.code).status, boost::json::serialize(body));
  if (e.retry_after_seconds) res.set(http::field::retry_after, std::to_string(*e.retry_after_seconds));
  return res;
}

std::string_view bearer_token(const http_request& req) {
  const auto h = req[http::field::authorization];
  constexpr std::string_view prefix = "Bearer ";
  if (h.size() <= prefix.size() || h.substr(0, prefix.size()) != prefix) return {};
  return h.substr(prefix.size());
}

}  // namespace slotlock
