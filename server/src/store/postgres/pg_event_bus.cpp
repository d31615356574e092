#include "store/postgres/pg_event_bus.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "domain/store.hpp"
#include "store/postgres/pg_db.hpp"

namespace slotlock {

namespace json = boost::json;

namespace {

constexpr auto poll_interval = std::chrono::milliseconds(250);
// A LISTEN connection can die silently (a dropped NAT entry, a failover):
// one round trip now and then finds out.
constexpr auto probe_every = std::chrono::seconds(5);
constexpr auto first_backoff = std::chrono::milliseconds(100);
constexpr auto max_backoff = std::chrono::seconds(5);
constexpr auto start_wait = std::chrono::seconds(10);
// Broadcasts waiting to be sent; beyond this the oldest go (they are
// pointer moves and liveness, which the next message supersedes).
constexpr std::size_t max_outbox = 4096;
// Sent in one round trip at most (about 1.5 MB at the payload limit).
constexpr std::size_t max_batch = 200;

json::array ref_json(const user_ref& r) { return {json::string(r.id), json::string(r.name), json::string(r.email)}; }

user_ref ref_from(const json::value& v) {
  const auto& a = v.as_array();
  return {json::value_to<std::string>(a.at(0)), json::value_to<std::string>(a.at(1)),
          json::value_to<std::string>(a.at(2))};
}

json::array lock_json(const lock_record& l) {
  return {ref_json(l.holder),       json::string(to_string(l.holder_role)), json::string(l.session_id),
          to_millis(l.acquired_at), to_millis(l.last_activity_at),          to_millis(l.expires_at),
          l.fencing_token};
}

lock_record lock_from(const json::value& v, const std::string& appointment_id) {
  const auto& a = v.as_array();
  lock_record l;
  l.appointment_id = appointment_id;
  l.holder = ref_from(a.at(0));
  l.holder_role = parse_role(json::value_to<std::string>(a.at(1))).value_or(role::user);
  l.session_id = json::value_to<std::string>(a.at(2));
  l.acquired_at = from_millis(a.at(3).to_number<std::int64_t>());
  l.last_activity_at = from_millis(a.at(4).to_number<std::int64_t>());
  l.expires_at = from_millis(a.at(5).to_number<std::int64_t>());
  l.fencing_token = a.at(6).to_number<std::int64_t>();
  return l;
}

json::array offer_json(const lock_offer& o) {
  return {ref_json(o.who), json::string(to_string(o.role)), json::string(o.session_id), to_millis(o.offered_at),
          to_millis(o.deadline)};
}

lock_offer offer_from(const json::value& v, const std::string& appointment_id) {
  const auto& a = v.as_array();
  lock_offer o;
  o.appointment_id = appointment_id;
  o.who = ref_from(a.at(0));
  o.role = parse_role(json::value_to<std::string>(a.at(1))).value_or(role::user);
  o.session_id = json::value_to<std::string>(a.at(2));
  o.offered_at = from_millis(a.at(3).to_number<std::int64_t>());
  o.deadline = from_millis(a.at(4).to_number<std::int64_t>());
  return o;
}

// A new appointment without its notes (no list shows them): small enough for NOTIFY.
json::array created_json(const appointment& a) {
  const auto& f = a.fields;
  return {
      json::string(f.title),   json::string(f.client_name), json::string(f.client_email),      to_millis(f.starts_at),
      to_millis(f.ends_at),    json::string(f.location),    json::string(to_string(f.status)), a.version,
      to_millis(a.updated_at), ref_json(a.updated_by)};
}

appointment created_from(const json::value& v, const std::string& id) {
  const auto& x = v.as_array();
  appointment a;
  a.id = id;
  a.fields.title = json::value_to<std::string>(x.at(0));
  a.fields.client_name = json::value_to<std::string>(x.at(1));
  a.fields.client_email = json::value_to<std::string>(x.at(2));
  a.fields.starts_at = from_millis(x.at(3).to_number<std::int64_t>());
  a.fields.ends_at = from_millis(x.at(4).to_number<std::int64_t>());
  a.fields.location = json::value_to<std::string>(x.at(5));
  a.fields.status =
      parse_appointment_status(json::value_to<std::string>(x.at(6))).value_or(appointment_status::scheduled);
  a.version = x.at(7).to_number<std::int64_t>();
  a.updated_at = from_millis(x.at(8).to_number<std::int64_t>());
  a.updated_by = ref_from(x.at(9));
  return a;
}

}  // namespace

std::string encode_event(const event& e) {
  json::object o;
  if (const auto* c = std::get_if<appointment_created>(&e)) {
    o["t"] = "n";
    o["a"] = c->created.id;
    o["x"] = created_json(c->created);
    return json::serialize(o);
  }
  if (const auto* d = std::get_if<appointment_deleted>(&e)) {
    o["t"] = "d";
    o["a"] = d->appointment_id;
    o["b"] = ref_json(d->by);
    return json::serialize(o);
  }
  if (const auto* u = std::get_if<appointment_updated>(&e)) {
    o["t"] = "u";
    o["a"] = u->appointment_id;
    o["v"] = u->version;
    o["b"] = ref_json(u->updated_by);
    return json::serialize(o);
  }
  if (const auto* ended = std::get_if<session_ended>(&e)) {
    o["t"] = "s";
    o["a"] = "";
    o["u"] = ended->user_id;
    o["s"] = ended->auth_session;
    return json::serialize(o);
  }
  if (const auto* changed = std::get_if<user_changed>(&e)) {
    o["t"] = "c";
    o["a"] = "";
    o["u"] = changed->user_id;
    return json::serialize(o);
  }
  const auto& l = std::get<lock_event>(e);
  o["t"] = "l";
  o["k"] = static_cast<int>(l.kind);
  o["a"] = l.appointment_id;
  if (l.lock) o["l"] = lock_json(*l.lock);
  if (l.previous_holder) o["p"] = ref_json(*l.previous_holder);
  if (l.by) o["b"] = ref_json(*l.by);
  if (!l.reason.empty()) o["r"] = l.reason;
  if (l.deadline) o["d"] = to_millis(*l.deadline);
  if (l.offer) o["o"] = offer_json(*l.offer);
  if (l.kind == lock_event_kind::queue_changed) {
    json::array q;
    for (const auto& w : l.queue)
      q.push_back(json::array{ref_json(w.who), json::string(to_string(w.role)), json::string(w.session_id),
                              to_millis(w.enqueued_at)});
    o["q"] = std::move(q);
    auto text = json::serialize(o);
    if (text.size() <= max_notify_payload) return text;
    o.erase("q");
    o["qo"] = true;  // the line is read from the store on arrival
  }
  return json::serialize(o);
}

std::optional<event> decode_event(std::string_view payload, bool* queue_omitted) {
  try {
    const auto v = json::parse(payload);
    const auto& o = v.as_object();
    const auto type = json::value_to<std::string>(o.at("t"));
    const auto appointment_id = json::value_to<std::string>(o.at("a"));
    if (type == "u")
      return event{appointment_updated{appointment_id, o.at("v").to_number<std::int64_t>(), ref_from(o.at("b"))}};
    if (type == "s")
      return event{session_ended{json::value_to<std::string>(o.at("u")), json::value_to<std::string>(o.at("s"))}};
    if (type == "c") return event{user_changed{json::value_to<std::string>(o.at("u"))}};
    if (type == "n") return event{appointment_created{created_from(o.at("x"), appointment_id)}};
    if (type == "d") return event{appointment_deleted{appointment_id, ref_from(o.at("b"))}};
    if (type != "l") return std::nullopt;
    lock_event l;
    const auto kind = o.at("k").to_number<int>();
    if (kind < 0 || kind > static_cast<int>(lock_event_kind::offer_ended)) return std::nullopt;
    l.kind = static_cast<lock_event_kind>(kind);
    l.appointment_id = appointment_id;
    if (const auto* x = o.if_contains("l")) l.lock = lock_from(*x, appointment_id);
    if (const auto* x = o.if_contains("p")) l.previous_holder = ref_from(*x);
    if (const auto* x = o.if_contains("b")) l.by = ref_from(*x);
    if (const auto* x = o.if_contains("r")) l.reason = json::value_to<std::string>(*x);
    if (const auto* x = o.if_contains("d")) l.deadline = from_millis(x->to_number<std::int64_t>());
    if (const auto* x = o.if_contains("o")) l.offer = offer_from(*x, appointment_id);
    if (const auto* x = o.if_contains("q")) {
      for (const auto& w : x->as_array()) {
        const auto& a = w.as_array();
        queue_entry q;
        q.appointment_id = appointment_id;
        q.who = ref_from(a.at(0));
        q.role = parse_role(json::value_to<std::string>(a.at(1))).value_or(role::user);
        q.session_id = json::value_to<std::string>(a.at(2));
        q.enqueued_at = from_millis(a.at(3).to_number<std::int64_t>());
        l.queue.push_back(std::move(q));
      }
    }
    if (queue_omitted != nullptr) *queue_omitted = o.contains("qo");
    return event{std::move(l)};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

pg_event_bus::pg_event_bus(std::string url, store& s, std::string channel)
    : url_(std::move(url)), store_(s), channel_(std::move(channel)), peers_channel_(channel_ + "_peers") {
  thread_ = std::thread([this] { listen_loop(); });
  sender_ = std::thread([this] { send_loop(); });
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, start_wait, [&] { return listening_.load(); }))
    spdlog::warn("events: not listening on PostgreSQL yet; events of other processes arrive once it does");
}

pg_event_bus::~pg_event_bus() { stop(); }

void pg_event_bus::stop() {
  {
    std::lock_guard g(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (sender_.joinable()) sender_.join();
}

void pg_event_bus::publish(const event& e) {
  store_.transact([&](store_tx& tx) {
    publish_in(tx, e);
    return true;
  });
}

void pg_event_bus::publish_in(store_tx& tx, const event& e) { tx.notify(channel_, encode_event(e)); }

void pg_event_bus::subscribe(handler h) {
  std::lock_guard g(mutex_);
  handlers_.push_back(std::make_shared<handler>(std::move(h)));
}

void pg_event_bus::on_resync(std::function<void()> h) {
  std::lock_guard g(mutex_);
  resync_handlers_.push_back(std::make_shared<std::function<void()>>(std::move(h)));
}

void pg_event_bus::broadcast(std::string payload) {
  if (payload.size() > max_notify_payload) {
    spdlog::warn("events: a broadcast of {} bytes is over the limit and was not sent", payload.size());
    return;
  }
  {
    std::lock_guard g(mutex_);
    if (outbox_.size() >= max_outbox) outbox_.pop_front();
    outbox_.push_back(std::move(payload));
  }
  changed_.notify_all();
}

void pg_event_bus::on_broadcast(std::function<void(std::string_view)> h) {
  std::lock_guard g(mutex_);
  broadcast_handlers_.push_back(std::make_shared<std::function<void(std::string_view)>>(std::move(h)));
}

void pg_event_bus::send_loop() {
  // One round trip sends everything queued meanwhile, in order.
  const std::string sql = "SELECT pg_notify($1, p) FROM json_array_elements_text($2::json) AS p";
  std::unique_ptr<pg_connection> conn;
  auto backoff = std::chrono::duration_cast<std::chrono::milliseconds>(first_backoff);
  while (true) {
    json::array batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_.load() || !outbox_.empty(); });
      // What was queued before stop() still goes (a hub's goodbye).
      if (outbox_.empty()) return;
      while (!outbox_.empty() && batch.size() < max_batch) {
        batch.emplace_back(std::move(outbox_.front()));
        outbox_.pop_front();
      }
    }
    try {
      if (!conn || !conn->healthy()) conn = std::make_unique<pg_connection>(url_);
      conn->query("broadcast", sql, peers_channel_, json::serialize(batch));
      backoff = first_backoff;
    } catch (const std::exception& e) {
      conn.reset();
      if (stopping_) return;
      spdlog::warn("events: {} broadcasts not sent: {}; retrying in {} ms", batch.size(), e.what(), backoff.count());
      sleep_unless_stopped(backoff);
      backoff = std::min(backoff * 2, std::chrono::duration_cast<std::chrono::milliseconds>(max_backoff));
    }
  }
}

void pg_event_bus::deliver_broadcast(const std::string& payload) {
  std::vector<std::shared_ptr<std::function<void(std::string_view)>>> targets;
  {
    std::lock_guard g(mutex_);
    targets = broadcast_handlers_;
  }
  for (const auto& h : targets) {
    try {
      (*h)(payload);
    } catch (const std::exception& ex) {
      spdlog::error("events: a broadcast subscriber failed: {}", ex.what());
    }
  }
}

void pg_event_bus::deliver(const std::string& payload) {
  bool queue_omitted = false;
  auto e = decode_event(payload, &queue_omitted);
  if (!e) {
    spdlog::warn("events: ignored a notification that is not an event ({} bytes)", payload.size());
    return;
  }
  if (auto* l = std::get_if<lock_event>(&*e); l && queue_omitted) {
    try {
      l->queue = store_.queue(l->appointment_id);
    } catch (const std::exception& ex) {
      spdlog::warn("events: could not read the line of {}: {}", l->appointment_id, ex.what());
      return;
    }
  }
  std::vector<std::shared_ptr<handler>> targets;
  {
    std::lock_guard g(mutex_);
    targets = handlers_;
  }
  for (const auto& h : targets) {
    try {
      (*h)(*e);
    } catch (const std::exception& ex) {
      spdlog::error("events: a subscriber failed: {}", ex.what());
    }
  }
}

void pg_event_bus::sleep_unless_stopped(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, d, [&] { return stopping_.load(); });
}

void pg_event_bus::dispatch(const pg_connection::notification& n) {
  if (n.channel == peers_channel_)
    deliver_broadcast(n.payload);
  else
    deliver(n.payload);
}

void pg_event_bus::listen_loop() {
  auto backoff = std::chrono::duration_cast<std::chrono::milliseconds>(first_backoff);
  bool connected_before = false;
  while (!stopping_) {
    try {
      pg_connection conn(url_);
      conn.exec("listen", "LISTEN \"" + channel_ + "\"; LISTEN \"" + peers_channel_ + "\"");
      if (connected_before) {
        // Whatever was sent while we were away is lost: subscribers read afresh.
        spdlog::info("events: listening again on PostgreSQL; resyncing");
        std::vector<std::shared_ptr<std::function<void()>>> targets;
        {
          std::lock_guard g(mutex_);
          targets = resync_handlers_;
        }
        for (const auto& h : targets) (*h)();
      }
      // Only now: what subscribers remembered from before the gap is gone (resync above), and
      // every event from here on reaches them.
      {
        std::lock_guard g(mutex_);
        listening_ = true;
      }
      changed_.notify_all();
      connected_before = true;
      backoff = first_backoff;
      auto last_probe = std::chrono::steady_clock::now();
      while (!stopping_) {
        pollfd fd{PQsocket(conn.native()), POLLIN, 0};
        if (fd.fd < 0) throw store_error("postgres: the LISTEN connection has no socket");
        const int ready = ::poll(&fd, 1, static_cast<int>(poll_interval.count()));
        if (ready < 0 && errno != EINTR) throw store_error("postgres: poll on the LISTEN connection failed");
        if (ready > 0 && PQconsumeInput(conn.native()) == 0)
          throw store_error("postgres: the LISTEN connection was lost");
        while (auto n = conn.next_notification()) dispatch(*n);
        if (!conn.healthy()) throw store_error("postgres: the LISTEN connection was lost");
        if (std::chrono::steady_clock::now() - last_probe > probe_every) {
          conn.exec("probe", "SELECT 1");
          last_probe = std::chrono::steady_clock::now();
          while (auto n = conn.next_notification()) dispatch(*n);
        }
      }
    } catch (const std::exception& e) {
      listening_ = false;
      if (stopping_) break;
      spdlog::warn("events: {}; reconnecting in {} ms", e.what(), backoff.count());
      sleep_unless_stopped(backoff);
      backoff = std::min(backoff * 2, std::chrono::duration_cast<std::chrono::milliseconds>(max_backoff));
    }
  }
  listening_ = false;
}

}  // namespace slotlock
