// The route table, the bearer token and the JSON answers every route is built from.

#include "http/router.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>

#include <string>

namespace slotlock::unit {
namespace {

router table() {
  router r;
  r.add({http::verb::get, "/api/appointments", {}, false});
  r.add({http::verb::get, "/api/appointments/:id", {}, false});
  r.add({http::verb::put, "/api/appointments/:id", {}, false});
  r.add({http::verb::post, "/api/appointments/:id/acquire-lock", {}, false});
  r.add({http::verb::post, "/api/auth/login", {}, true});
  return r;
}

router::match find(const router& r, http::verb method, const char* target) {
  const auto url = boost::urls::parse_origin_form(target);
  EXPECT_TRUE(url) << target;
  return r.find(method, *url);
}

TEST(router, matches_method_and_path_and_binds_parameters) {
  const auto r = table();
  const auto m = find(r, http::verb::post, "/api/appointments/a-1/acquire-lock");
  ASSERT_TRUE(m.found);
  EXPECT_EQ(m.found->pattern, "/api/appointments/:id/acquire-lock");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0], (std::pair<std::string, std::string>{"id", "a-1"}));
  EXPECT_TRUE(find(r, http::verb::post, "/api/auth/login").found->public_route);
}

TEST(router, tells_an_unknown_path_from_a_wrong_method) {
  const auto r = table();
  const auto wrong_method = find(r, http::verb::delete_, "/api/appointments/a-1");
  EXPECT_FALSE(wrong_method.found);
  EXPECT_TRUE(wrong_method.path_known) << "405, not 404";
  const auto unknown = find(r, http::verb::get, "/api/appointments/a-1/nothing");
  EXPECT_FALSE(unknown.found);
  EXPECT_FALSE(unknown.path_known);
}

TEST(router, head_is_answered_by_the_get_route) {
  const auto r = table();
  const auto m = find(r, http::verb::head, "/api/appointments");
  ASSERT_TRUE(m.found);
  EXPECT_EQ(m.found->method, http::verb::get);
}

TEST(router, an_empty_parameter_and_extra_segments_do_not_match) {
  const auto r = table();
  EXPECT_FALSE(find(r, http::verb::get, "/api/appointments/").found);
  EXPECT_FALSE(find(r, http::verb::get, "/api/appointments/a-1/").found);
  EXPECT_FALSE(find(r, http::verb::get, "/api/appointments/a-1/acquire-lock/x").found);
  EXPECT_FALSE(find(r, http::verb::get, "/API/appointments").found) << "paths are case-sensitive";
}

TEST(router, parameters_and_queries_are_percent_decoded) {
  const auto r = table();
  const auto url = boost::urls::parse_origin_form("/api/appointments/a%2D1?sessionId=tab%201&x");
  ASSERT_TRUE(url);
  auto m = r.find(http::verb::get, *url);
  ASSERT_TRUE(m.found);
  http_request req;
  request_context c{req, *url, "127.0.0.1", std::move(m.params), std::nullopt};
  EXPECT_EQ(c.param("id"), "a-1");
  EXPECT_EQ(c.query("sessionId"), "tab 1");
  EXPECT_EQ(c.query("x"), "");
  EXPECT_EQ(c.query("missing"), std::nullopt);
  EXPECT_EQ(c.param("missing"), "");
}

TEST(router, bearer_token_reads_only_a_bearer_authorization) {
  http_request req;
  EXPECT_EQ(bearer_token(req), "");
  req.set(http::field::authorization, "Bearer abc.def");
  EXPECT_EQ(bearer_token(req), "abc.def");
  req.set(http::field::authorization, "Bearer ");
  EXPECT_EQ(bearer_token(req), "");
  req.set(http::field::authorization, "Basic YWxpY2U6eA==");
  EXPECT_EQ(bearer_token(req), "");
  req.set(http::field::authorization, "bearer abc");
  EXPECT_EQ(bearer_token(req), "") << "the scheme is matched as sent by every client";
}

TEST(router, an_error_answer_carries_status_code_message_and_retry_after) {
  http_request req;
  req.version(11);
  req.keep_alive(true);
  auto e = make_error(errc::rate_limited, "Slow down.");
  e.retry_after_seconds = 7;
  const auto res = error_response(req, e);
  EXPECT_EQ(res.result(), http::status::too_many_requests);
  EXPECT_EQ(res[http::field::retry_after], "7");
  EXPECT_EQ(res[http::field::content_type], "application/json; charset=utf-8");
  EXPECT_EQ(res[http::field::cache_control], "no-store");
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_TRUE(res.keep_alive());
  const auto body = boost::json::parse(res.body()).as_object().at("error").as_object();
  EXPECT_EQ(body.at("code").as_string(), "RATE_LIMITED");
  EXPECT_EQ(body.at("message").as_string(), "Slow down.");
  EXPECT_EQ(body.at("retryAfter").as_int64(), 7);
}

TEST(router, no_content_has_no_body_and_the_security_headers) {
  http_request req;
  req.version(11);
  const auto res = no_content(req);
  EXPECT_EQ(res.result(), http::status::no_content);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
}

}  // namespace
}  // namespace slotlock::unit
