#include "http/api_routes.hpp"

#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>

#include <charconv>

#include "domain/appointment_query.hpp"
#include "domain/appointment_service.hpp"
#include "domain/audit_service.hpp"
#include "domain/auth_service.hpp"
#include "domain/lock_service.hpp"
#include "domain/user_service.hpp"
#include "http/json_io.hpp"
#include "http/log_text.hpp"
#include "http/metrics.hpp"
#include "runtime/blocking.hpp"
#include "runtime/bounded_pool.hpp"
#include "runtime/write_batcher.hpp"

namespace slotlock {

namespace json = boost::json;
using boost::asio::awaitable;

namespace {

http_response ok_json(const request_context& c, const json::value& body, http::status s = http::status::ok) {
  return json_response(c.req, s, json::serialize(body));
}

http_response fail(const request_context& c, const error& e) { return error_response(c.req, e); }

template <class T>
http_response reply(const request_context& c, const result<T>& r, const std::function<json::value(const T&)>& render,
                    http::status s = http::status::ok) {
  if (!r) return fail(c, r.err());
  return ok_json(c, render(*r), s);
}

json::string server_time(const api_context& ctx) { return json::string(format_iso(ctx.time->now())); }

json::value lock_json(const api_context& ctx, std::optional<lock_record> l) {
  if (l && ctx.position_of) l->position = ctx.position_of(*l);
  return to_json(l);
}

// The sign-in pool is full: the client should come back in a moment, not queue forever.
error sign_in_busy() {
  auto e = make_error(errc::busy, "Too many sign-ins at once. Try again in a moment.");
  e.retry_after_seconds = 1;
  return e;
}

bool is_admin(const request_context& c) { return c.me().role == role::admin; }

error admins_only() { return make_error(errc::forbidden, "Only an admin can do this."); }

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// ---- sign-in ---------------------------------------------------------------

void add_auth(router& r, const api_context& ctx) {
  r.add({http::verb::post, "/api/auth/login",
         [&ctx](request_context& c) -> awaitable<http_response> {
           body_reader body(c.req.body());
           const auto email = body.text("email", true);
           const auto password = body.text("password", true);
           if (!body.ok()) co_return fail(c, body.problem());
           if (auto admitted = ctx.auth->admit(c.client_address); !admitted) {
             spdlog::info("sign-in of {} from {} refused: too many attempts from the address", log_text(email),
                          log_text(c.client_address));
             co_return fail(c, admitted.err());
           }
           auto attempt =
               co_await ctx.sign_in->try_run([&] { return ctx.auth->login(email, password, c.client_address); });
           if (!attempt) {
             spdlog::warn("sign-in of {} from {} refused: the sign-in pool is full", log_text(email),
                          log_text(c.client_address));
             co_return fail(c, sign_in_busy());
           }
           auto& signed_in = *attempt;
           if (!signed_in) {
             spdlog::info("sign-in of {} from {} refused: {}", log_text(email), log_text(c.client_address),
                          signed_in.err().code == errc::rate_limited ? "too many attempts" : "invalid credentials");
             co_return fail(c, signed_in.err());
           }
           co_return ok_json(c, json::object{{"token", signed_in->token},
                                             {"expiresAt", format_iso(signed_in->expires_at)},
                                             {"user", to_json(signed_in->who)}});
         },
         true});

  r.add({http::verb::post, "/api/auth/logout", [&ctx](request_context& c) -> awaitable<http_response> {
           const std::string token(bearer_token(c.req));
           co_await ctx.writes->run([&] {
             ctx.auth->logout(token);
             return true;
           });
           co_return no_content(c.req);
         }});

  r.add({http::verb::post, "/api/ws-tickets", [&ctx](request_context& c) -> awaitable<http_response> {
           const std::string token(bearer_token(c.req));
           auto t = co_await ctx.writes->run([&] { return ctx.auth->issue_ws_ticket(c.me(), token); });
           co_return ok_json(c, json::object{{"ticket", t.ticket}, {"expiresAt", format_iso(t.expires_at)}});
         }});

  r.add({http::verb::get, "/api/me",
         [](request_context& c) -> awaitable<http_response> { co_return ok_json(c, to_json(c.me())); }});
}

// ---- appointments ----------------------------------------------------------

query_values query_of(const request_context& c) {
  return [&c](std::string_view name) { return c.query_all(name); };
}

json::array conflicts_json(const std::vector<appointment>& conflicts) {
  json::array out;
  for (const auto& a : conflicts)
    out.push_back(json::object{{"id", a.id},
                               {"title", a.fields.title},
                               {"startsAt", format_iso(a.fields.starts_at)},
                               {"endsAt", format_iso(a.fields.ends_at)},
                               {"location", a.fields.location}});
  return out;
}

// A created or saved appointment and what it now overlaps (read after the write, off the
// writer: a warning, never part of the decision).
awaitable<http_response> saved_reply(const api_context& ctx, const request_context& c, const result<appointment>& a,
                                     http::status s) {
  if (!a) co_return fail(c, a.err());
  const auto conflicts = co_await offload(*ctx.blocking, [&] { return ctx.appointments->conflicts_with(*a); });
  auto o = to_json(*a);
  o["conflicts"] = conflicts_json(conflicts);
  co_return ok_json(c, o, s);
}

std::optional<std::int64_t> lock_token(const request_context& c) {
  const auto header = c.req["X-Lock-Token"];
  if (header.empty()) return std::nullopt;
  return parse_int(header).value_or(-1);  // present but not a token: never matches
}

void add_appointments(router& r, const api_context& ctx) {
  // Readiness: /healthz says the process answers; this says the store takes writes now. It goes
  // through the writer, as writes do, so a store that makes writes wait makes it wait (bounded
  // by the store's own timeouts) and fail with 503 STORE_UNAVAILABLE.
  r.add({http::verb::get, "/readyz",
         [&ctx](request_context& c) -> awaitable<http_response> {
           co_await ctx.writes->run([&] {
             ctx.check_store();
             return true;
           });
           co_return ok_json(c, json::object{{"status", "ready"}});
         },
         true});

  r.add({http::verb::get, "/api/config",
         [&ctx](request_context& c) -> awaitable<http_response> {
           co_return ok_json(c, json::object{{"timeZone", ctx.time_zone}, {"demo", ctx.demo}});
         },
         true});

  r.add({http::verb::get, "/api/appointments", [&ctx](request_context& c) -> awaitable<http_response> {
           auto q = read_list_query(query_of(c), ctx.time->now());
           if (!q) co_return fail(c, q.err());
           auto [page, locks] = co_await offload(
               *ctx.blocking, [&] { return std::pair(ctx.appointments->list(*q), ctx.locks->live_locks()); });
           json::array out;
           for (const auto& a : page.items) {
             auto o = to_json(a);
             o["lock"] = nullptr;
             for (const auto& l : locks)
               if (l.appointment_id == a.id) o["lock"] = lock_json(ctx, l);
             out.push_back(std::move(o));
           }
           json::value next = nullptr;
           if (page.next) next = encode_cursor(*page.next);
           co_return ok_json(c, json::object{{"items", std::move(out)}, {"nextCursor", std::move(next)}});
         }});

  r.add({http::verb::get, "/api/conflicts", [&ctx](request_context& c) -> awaitable<http_response> {
           auto q = read_conflict_query(query_of(c));
           if (!q) co_return fail(c, q.err());
           const auto conflicts = co_await offload(*ctx.blocking, [&] { return ctx.appointments->conflicts(*q); });
           co_return ok_json(c, json::object{{"conflicts", conflicts_json(conflicts)}});
         }});

  r.add({http::verb::get, "/api/appointments/:id/history", [&ctx](request_context& c) -> awaitable<http_response> {
           auto h = co_await offload(*ctx.blocking, [&] { return ctx.appointments->history(c.param("id")); });
           if (!h) co_return fail(c, h.err());
           json::array items;
           for (const auto& entry : *h) items.push_back(to_json(entry));
           co_return ok_json(c, json::object{{"items", std::move(items)}});
         }});

  r.add({http::verb::delete_, "/api/appointments/:id", [&ctx](request_context& c) -> awaitable<http_response> {
           delete_request req{c.param("id"), lock_token(c), c.me()};
           auto removed = co_await ctx.writes->run([&] { return ctx.appointments->remove(req); });
           if (!removed) co_return fail(c, removed.err());
           co_return no_content(c.req);
         }});

  r.add({http::verb::get, "/api/appointments/:id", [&ctx](request_context& c) -> awaitable<http_response> {
           auto a = co_await offload(*ctx.blocking, [&] { return ctx.appointments->get(c.param("id")); });
           co_return reply<appointment>(c, a, [](const appointment& x) { return json::value(to_json(x)); });
         }});

  r.add({http::verb::post, "/api/appointments", [&ctx](request_context& c) -> awaitable<http_response> {
           body_reader body(c.req.body());
           const auto input = read_appointment(body);
           if (!body.ok()) co_return fail(c, body.problem());
           auto a = co_await ctx.writes->run([&] { return ctx.appointments->create(input, c.me()); });
           co_return co_await saved_reply(ctx, c, a, http::status::created);
         }});

  r.add({http::verb::put, "/api/appointments/:id", [&ctx](request_context& c) -> awaitable<http_response> {
           body_reader body(c.req.body());
           save_request req;
           req.appointment_id = c.param("id");
           req.input = read_appointment(body);
           req.based_on_version = body.integer("version");
           req.caller = c.me();
           req.fencing_token = lock_token(c);
           if (!body.ok()) co_return fail(c, body.problem());
           auto a = co_await ctx.writes->run([&] { return ctx.appointments->save(req); });
           co_return co_await saved_reply(ctx, c, a, http::status::ok);
         }});
}

// ---- locks -----------------------------------------------------------------

void add_locks(router& r, const api_context& ctx) {
  r.add({http::verb::get, "/api/appointments/:id/lock-status", [&ctx](request_context& c) -> awaitable<http_response> {
           // From memory when this process knows the appointment's lock (no other thread).
           auto remembered = ctx.locks->status_from_memory(c.param("id"));
           if (!remembered)
             remembered.emplace(co_await offload(*ctx.blocking, [&] { return ctx.locks->status(c.param("id")); }));
           const auto& status = *remembered;
           if (!status) co_return fail(c, status.err());
           co_return ok_json(c, json::object{{"locked", status->has_value()},
                                             {"lock", lock_json(ctx, *status)},
                                             {"serverTime", server_time(ctx)}});
         }});

  r.add(
      {http::verb::post, "/api/appointments/:id/acquire-lock", [&ctx](request_context& c) -> awaitable<http_response> {
         body_reader body(c.req.body());
         acquire_request req;
         req.appointment_id = c.param("id");
         req.session_id = body.text("sessionId", true);
         req.takeover = body.flag("takeover");
         req.queue = body.flag("queue");
         req.confirmed_token = body.optional_integer("fencingToken");
         req.caller = c.me();
         if (!body.ok()) co_return fail(c, body.problem());
         auto out = co_await ctx.writes->run([&] { return ctx.locks->acquire(req); });
         if (!out) co_return fail(c, out.err());
         if (out->what == acquire_outcome::kind::queued)
           co_return ok_json(c, json::object{{"queued", true}, {"position", out->position}}, http::status::accepted);
         co_return ok_json(c, json::object{{"lock", to_json(*out->lock)}, {"serverTime", server_time(ctx)}});
       }});

  r.add({http::verb::post, "/api/appointments/:id/heartbeat", [&ctx](request_context& c) -> awaitable<http_response> {
           body_reader body(c.req.body());
           const auto session_id = body.text("sessionId", true);
           if (!body.ok()) co_return fail(c, body.problem());
           auto lock =
               co_await ctx.writes->run([&] { return ctx.locks->heartbeat(c.param("id"), c.me(), session_id); });
           if (!lock) co_return fail(c, lock.err());
           co_return ok_json(c, json::object{{"lock", to_json(*lock)}, {"serverTime", server_time(ctx)}});
         }});

  r.add({http::verb::delete_, "/api/appointments/:id/release-lock",
         [&ctx](request_context& c) -> awaitable<http_response> {
           release_request req{c.param("id"), c.me(), c.query("force").value_or("") == "true"};
           auto released = co_await ctx.writes->run([&] { return ctx.locks->release(req); });
           co_return reply<bool>(c, released, [](const bool& b) { return json::value(json::object{{"released", b}}); });
         }});

  r.add({http::verb::post, "/api/appointments/:id/request-control",
         [&ctx](request_context& c) -> awaitable<http_response> {
           if (!is_admin(c)) co_return fail(c, make_error(errc::forbidden, "Only an admin can ask for control."));
           body_reader body(c.req.body());
           const auto session_id = body.text("sessionId", true);
           if (!body.ok()) co_return fail(c, body.problem());
           auto deadline =
               co_await ctx.writes->run([&] { return ctx.locks->request_control(c.param("id"), c.me(), session_id); });
           co_return reply<time_point>(
               c, deadline,
               [](const time_point& t) {
                 return json::value(json::object{{"deadline", format_iso(t)}});
               },
               http::status::accepted);
         }});

  r.add({http::verb::delete_, "/api/appointments/:id/queue", [&ctx](request_context& c) -> awaitable<http_response> {
           const auto session_id = c.query("sessionId").value_or("");
           auto left =
               co_await ctx.writes->run([&] { return ctx.locks->leave_queue(c.param("id"), c.me(), session_id); });
           co_return reply<bool>(c, left, [](const bool& b) { return json::value(json::object{{"left", b}}); });
         }});
}

// ---- admin: audit and users -----------------------------------------------

awaitable<http_response> audit_page(const api_context& ctx, request_context& c,
                                    std::optional<std::string> appointment_id) {
  if (!is_admin(c)) co_return fail(c, admins_only());
  audit_filter f;
  f.appointment_id = appointment_id ? appointment_id : c.query("appointmentId");
  f.actor_id = c.query("actorId");
  if (auto a = c.query("action")) {
    f.action = parse_audit_action(*a);
    if (!f.action) co_return fail(c, make_error(errc::bad_request, "Unknown audit action \"" + *a + "\"."));
  }
  if (auto b = c.query("before")) {
    f.before_id = parse_int(*b);
    if (!f.before_id) co_return fail(c, make_error(errc::bad_request, "before must be an audit row id."));
  }
  if (auto l = c.query("limit")) {
    const auto n = parse_int(*l);
    if (!n || *n < 1 || *n > 500) co_return fail(c, make_error(errc::bad_request, "limit must be from 1 to 500."));
    f.limit = static_cast<int>(*n);
  }
  if (appointment_id) {
    const bool known = co_await offload(*ctx.blocking, [&] { return ctx.appointments->known(*appointment_id); });
    if (!known) co_return fail(c, make_error(errc::not_found, "No such appointment."));
  }
  const auto rows = co_await offload(*ctx.blocking, [&] { return ctx.audit->list(f); });
  json::array items;
  for (const auto& a : rows) items.push_back(to_json(a));
  json::value next = nullptr;
  if (static_cast<int>(rows.size()) == f.limit && !rows.empty()) next = rows.back().id;
  co_return ok_json(c, json::object{{"items", std::move(items)}, {"nextBefore", next}});
}

void add_admin(router& r, const api_context& ctx) {
  r.add({http::verb::get, "/api/audit",
         [&ctx](request_context& c) -> awaitable<http_response> { return audit_page(ctx, c, std::nullopt); }});
  r.add({http::verb::get, "/api/appointments/:id/audit",
         [&ctx](request_context& c) -> awaitable<http_response> { return audit_page(ctx, c, c.param("id")); }});

  r.add({http::verb::get, "/api/users", [&ctx](request_context& c) -> awaitable<http_response> {
           if (!is_admin(c)) co_return fail(c, admins_only());
           const auto users = co_await offload(*ctx.blocking, [&] { return ctx.users->list(); });
           json::array items;
           for (const auto& u : users) items.push_back(to_json(u));
           co_return ok_json(c, json::object{{"items", std::move(items)}});
         }});

  r.add({http::verb::post, "/api/users", [&ctx](request_context& c) -> awaitable<http_response> {
           if (!is_admin(c)) co_return fail(c, admins_only());
           body_reader body(c.req.body());
           new_user in{body.text("email", true), body.text("name", true), body.optional_text("role").value_or("user"),
                       body.text("password", true)};
           if (!body.ok()) co_return fail(c, body.problem());
           auto u = co_await ctx.sign_in->try_run([&] { return ctx.users->add(in); });  // hashes the password
           if (!u) co_return fail(c, sign_in_busy());
           co_return reply<user>(
               c, *u, [](const user& x) { return json::value(to_json(x)); }, http::status::created);
         }});

  r.add({http::verb::patch, "/api/users/:id", [&ctx](request_context& c) -> awaitable<http_response> {
           if (!is_admin(c)) co_return fail(c, admins_only());
           body_reader body(c.req.body());
           user_changes changes{body.optional_text("name"), body.optional_text("role"), body.optional_flag("disabled"),
                                body.optional_text("password")};
           if (!body.ok()) co_return fail(c, body.problem());
           auto change = [&] { return ctx.users->change(c.param("id"), changes); };
           // A new password is hashed: that runs with the sign-ins, the rest with the store.
           std::optional<result<user>> u;
           if (changes.password)
             u = co_await ctx.sign_in->try_run(change);
           else
             u.emplace(co_await offload(*ctx.blocking, change));
           if (!u) co_return fail(c, sign_in_busy());
           co_return reply<user>(c, *u, [](const user& x) { return json::value(to_json(x)); });
         }});
}

}  // namespace

void add_api_routes(router& r, const api_context& ctx) {
  add_auth(r, ctx);
  add_appointments(r, ctx);
  add_locks(r, ctx);
  add_admin(r, ctx);
}

}  // namespace slotlock
