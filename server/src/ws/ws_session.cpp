#include "ws/ws_session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <array>

#include "http/error_mapping.hpp"
#include "http/security_headers.hpp"
#include "rooms/hub.hpp"

namespace slotlock {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::use_awaitable;

namespace {
time_point wall_now() { return std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now()); }
// A drained outbox keeps this much room; more is given back.
constexpr std::size_t outbox_kept_capacity = 16;
ws_counters process_counters;
}  // namespace

ws_session::ws_session(asio::ip::tcp::socket socket, identity id, hub& h, std::shared_ptr<const ws_limits> limits,
                       connection_lease lease)
    : ws_(std::move(socket)),
      id_(std::move(id)),
      hub_(h),
      limits_(std::move(limits)),
      lease_(std::move(lease)),
      messages_{limits_->message_burst, limits_->messages_per_second, limits_->message_burst, {}},
      violations_{limits_->violations_burst, limits_->violations_per_second, limits_->violations_burst, {}},
      drafts_{limits_->draft_burst, limits_->drafts_per_second, limits_->draft_burst, {}},
      last_heard_(std::chrono::steady_clock::now()) {
  ++process_counters.open;
}

ws_session::~ws_session() { --process_counters.open; }

const ws_counters& ws_session::counters() { return process_counters; }

asio::awaitable<bool> ws_session::accept(const http_request& upgrade) {
  // Beast's own timer guards the handshake and the close only; an idle socket has none waiting
  // (check_alive() does that job for every socket from the hub's one timer).
  ws_.set_option(websocket::stream_base::timeout{.handshake_timeout = std::chrono::seconds(30),
                                                 .idle_timeout = websocket::stream_base::none(),
                                                 .keep_alive_pings = false});
  // The 101, and the 400/426 Beast writes itself for a malformed upgrade, carry the headers every
  // answer does, the request's id included. (Not kept: the decorator is emptied once accepted.)
  ws_.set_option(websocket::stream_base::decorator([&upgrade](websocket::response_type& res) {
    res.set(http::field::server, "slotlock");
    add_answer_headers(upgrade, res);
  }));
  ws_.read_message_max(limits_->max_read);
  ws_.text(true);
  ws_.control_callback(
      [this](websocket::frame_type, beast::string_view) { last_heard_ = std::chrono::steady_clock::now(); });
  auto [ec] = co_await ws_.async_accept(upgrade, asio::as_tuple(use_awaitable));
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type&) {}));
  co_return !ec;
}

asio::awaitable<void> ws_session::run() {
  auto self = shared_from_this();
  const auto joined = hub_.join(self);
  // However run() ends — the peer leaving, or an exception — a member leaves its room: a ghost
  // would keep its presence, a room slot and its lock without a disconnect grace. (A coroutine
  // still open at exit is destroyed with the io_context, after the hub: then nothing is left.)
  struct membership {
    ws_session& s;
    bool member;
    std::shared_ptr<const bool> hub_alive;
    ~membership() {
      if (!*hub_alive) return;
      s.closed_ = true;
      if (member) s.hub_.leave(s);
    }
  } guard{*this, joined == hub::join_result::joined, hub_.alive()};
  if (joined == hub::join_result::room_full) {
    refuse(errc::room_full, "Too many people are viewing this appointment.",
           static_cast<std::uint16_t>(websocket::close_code::try_again_later));
  } else if (joined == hub::join_result::too_many_sockets) {
    refuse(errc::too_many_sockets, "You have too many live connections open; close some tabs and reload.",
           close_too_many_sockets);
  } else {
    hub_.prepare_snapshot(self);
  }
  pump();

  // Read in small pieces into a member array: a whole-message read would hold a buffer of
  // Beast's frame size on every idle socket. A message larger than one piece (rare: cursors and
  // heartbeats fit) is gathered in `longer`, which is freed right after.
  std::string longer;
  for (;;) {
    auto [rec, n] = co_await ws_.async_read_some(asio::buffer(piece_), asio::as_tuple(use_awaitable));
    if (rec) {
      spdlog::debug("WebSocket of {} ({}) ended: {}", id_.who.email, id_.session_id, rec.message());
      break;
    }
    last_heard_ = std::chrono::steady_clock::now();
    if (!ws_.is_message_done() || !longer.empty()) {
      longer.append(piece_.data(), n);  // bounded by read_message_max
      if (!ws_.is_message_done()) continue;
      handle(longer, ws_.got_text());
      std::string().swap(longer);
      continue;
    }
    handle(std::string_view(piece_.data(), n), ws_.got_text());
  }
}

void ws_session::refuse(errc why, std::string_view message, std::uint16_t close_code) {
  started_ = true;  // no snapshot comes: the error is the first frame, then the close
  enqueue(render_error(why, message));
  request_close(close_code, std::string(classify(why).code));
}

void ws_session::handle(std::string_view text, bool is_text) {
  if (ended_) return;  // signed out: nothing it says counts, its close is on the way
  if (messages_.take(wall_now()) != 0) {
    violation(errc::rate_limited, "Too many messages; slow down.");
    return;
  }
  if (!is_text) {
    violation(errc::bad_message, "Frames must be text (JSON).");
    return;
  }
  auto parsed = parse_client_frame(text);
  if (auto* err = std::get_if<frame_error>(&parsed)) {
    violation(err->code, err->message);
    return;
  }
  std::visit(
      [&](auto& f) {
        using T = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<T, draft_frame>) {
          if (drafts_.take(wall_now()) != 0)
            enqueue(render_error(errc::rate_limited, "Drafts are shared at most 5 times a second; this one was not."));
          else
            hub_.draft(shared_from_this(), std::move(f));
        } else if constexpr (std::is_same_v<T, cursor_frame>) {
          hub_.cursor_moved(*this, f.x, f.y);
        } else if constexpr (std::is_same_v<T, activity_frame>) {
          const auto now = std::chrono::steady_clock::now();
          if (now - last_activity_ >= limits_->activity_interval) {
            last_activity_ = now;
            hub_.activity(*this);
          }
        } else {
          enqueue(render_pong(format_iso(wall_now())));
        }
      },
      std::get<client_frame>(parsed));
}

void ws_session::violation(errc code, std::string_view message) {
  enqueue(render_error(code, message));
  if (violations_.take(wall_now()) != 0)
    request_close(static_cast<std::uint16_t>(websocket::close_code::policy_error), "too many invalid messages");
}

void ws_session::send(frame_body body) {
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), body = std::move(body)]() mutable { self->enqueue(std::move(body)); });
}

void ws_session::send_cursors(std::shared_ptr<const cursor_batch> moved) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), moved = std::move(moved)]() mutable {
    if (self->ended_) return;
    if (!self->pending_batch_ && self->pending_cursors_.empty()) {
      self->pending_batch_ = std::move(moved);
    } else {
      if (self->pending_batch_) {
        for (const auto& [tab, object] : self->pending_batch_->objects) self->pending_cursors_[tab] = object;
        self->pending_batch_.reset();
      }
      for (const auto& [tab, object] : moved->objects) self->pending_cursors_[tab] = object;
    }
    self->pump();
  });
}

void ws_session::end_session() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    if (self->ended_) return;
    self->ended_ = true;
    // What was waiting for it is no longer its business: only the reason goes out.
    self->outbox_.clear();
    self->outbox_head_ = 0;
    self->outbox_bytes_ = 0;
    self->pending_cursors_.clear();
    self->pending_batch_.reset();
    self->snapshot_.reset();
    self->started_ = true;
    self->enqueue(render_error(errc::session_ended, "Your session has ended. Sign in again."));
    self->request_close(close_session_ended, std::string(classify(errc::session_ended).code));
  });
}

void ws_session::close_room() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    if (self->ended_) return;
    self->ended_ = true;  // nothing it says counts any more
    self->request_close(static_cast<std::uint16_t>(websocket::close_code::normal), "the appointment was deleted");
  });
}

void ws_session::check_alive() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] {
    if (self->closed_) return;
    const auto quiet = std::chrono::steady_clock::now() - self->last_heard_;
    if (quiet >= self->limits_->idle_timeout) {
      self->drop(drop_reason::silent);
    } else if (quiet >= self->limits_->idle_timeout / 2) {
      self->ping_due_ = true;
      self->pump();
    }
  });
}

void ws_session::start_with(frame_body snapshot) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), snapshot = std::move(snapshot)]() mutable {
    if (self->ended_) return;
    self->snapshot_ = std::move(snapshot);
    self->started_ = true;
    self->pump();
  });
}

void ws_session::enqueue(frame_body body) {
  if (closed_ || (ended_ && close_code_ != 0)) return;  // after the session ended, only its error frame goes out
  outbox_bytes_ += body->size();
  outbox_.push_back(std::move(body));
  if (outbox_.size() - outbox_head_ > limits_->max_outbox_frames || outbox_bytes_ > limits_->max_outbox_bytes) {
    drop(drop_reason::slow);
    return;
  }
  pump();
}

void ws_session::request_close(std::uint16_t code, std::string reason) {
  if (close_code_ == 0) {
    close_code_ = code;
    close_reason_ = std::move(reason);
  }
  pump();
}

void ws_session::drop(drop_reason why) {
  spdlog::warn("closing a WebSocket of {} ({}): {}", id_.who.email, id_.session_id,
               why == drop_reason::silent ? "it did not answer pings" : "it does not read its messages fast enough");
  ++(why == drop_reason::silent ? process_counters.dropped_silent : process_counters.dropped_slow);
  process_counters.dropped_frames += outbox_.size() - outbox_head_ + pending_cursors_.size() + (pending_batch_ ? 1 : 0);
  closed_ = true;
  outbox_.clear();
  outbox_head_ = 0;
  pending_cursors_.clear();
  pending_batch_.reset();
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).close(ignored);
  pump();
}

void ws_session::pump() {
  if (writing_ || closed_) return;
  const auto done = [self = shared_from_this()](beast::error_code ec) {
    self->writing_ = false;
    self->in_flight_.reset();
    if (ec) {
      self->closed_ = true;
      return;
    }
    self->pump();
  };
  frame_body body;  // shared with every other socket it goes to: written after a prefix of ours
  if (ping_due_) {
    ping_due_ = false;
    writing_ = true;
    ws_.async_ping({}, done);
    return;
  } else if (started_ && snapshot_) {
    body = std::move(*snapshot_);
    snapshot_.reset();
  } else if (started_ && outbox_head_ < outbox_.size()) {
    outbox_bytes_ -= outbox_[outbox_head_]->size();
    body = std::move(outbox_[outbox_head_++]);
    if (outbox_head_ == outbox_.size()) {
      outbox_.clear();
      outbox_head_ = 0;
      if (outbox_.capacity() > outbox_kept_capacity) outbox_.shrink_to_fit();
    } else if (outbox_head_ > outbox_kept_capacity && outbox_head_ * 2 > outbox_.size()) {
      // A reader that never quite catches up: what was written goes, so the vector stays bounded.
      outbox_.erase(outbox_.begin(), outbox_.begin() + static_cast<std::ptrdiff_t>(outbox_head_));
      outbox_head_ = 0;
    }
  } else if (started_ && pending_batch_) {
    body = pending_batch_->frame;
    pending_batch_.reset();
  } else if (started_ && !pending_cursors_.empty()) {
    std::vector<frame_body> objects;
    objects.reserve(pending_cursors_.size());
    for (auto& [tab, object] : pending_cursors_) objects.push_back(std::move(object));
    pending_cursors_.clear();
    body = render_cursors(objects);
  } else if (close_code_ != 0) {
    writing_ = true;
    closed_ = true;  // nothing more after the close frame
    ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(close_code_), close_reason_),
                    [self = shared_from_this()](beast::error_code) { self->writing_ = false; });
    return;
  } else {
    return;  // idle: nothing waits until something is sent
  }
  writing_ = true;
  prefix_ = seq_prefix(++seq_);
  in_flight_ = std::move(body);
  const std::array<asio::const_buffer, 2> frame{asio::buffer(prefix_), asio::buffer(*in_flight_)};
  ws_.async_write(frame, [done](beast::error_code ec, std::size_t) { done(ec); });
}

}  // namespace slotlock
