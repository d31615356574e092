#pragma once
// One WebSocket connection: its socket, its outbox and its two loops (one
// reading, one writing; one write in flight). The hub hands it frames from
// any thread; everything else happens on the connection's strand.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "domain/token_bucket.hpp"
#include "domain/user.hpp"
#include "http/router.hpp"
#include "ws/frames.hpp"

namespace slotlock {

class hub;

struct ws_limits {
  std::size_t max_read = 64 * 1024;      // larger frames end the connection (1009)
  std::size_t max_outbox_frames = 1024;  // a client this far behind is dropped
  std::size_t max_outbox_bytes = 4 << 20;
  double messages_per_second = 40;  // cursors at 20/s leave room for the rest
  double message_burst = 80;
  double violations_burst = 5;  // this many bad frames in a row, then 1008
  double violations_per_second = 0.1;
  std::chrono::milliseconds activity_interval{2000};  // at most one heartbeat per this
  std::chrono::seconds idle_timeout{30};              // no pong for this long: the peer is gone
};

class ws_session : public std::enable_shared_from_this<ws_session> {
 public:
  struct identity {
    user who;
    std::string auth_session;  // the sign-in that issued the ticket (its token hash)
    std::string session_id;
    std::string room;  // appointment id; empty for the list-wide feed
    std::string color;
    bool holds_lock = false;  // held the room's lock when it connected: a full room lets it in
  };

  // Close codes of our own (4000–4999 are the application's).
  static constexpr std::uint16_t close_session_ended = 4001;
  static constexpr std::uint16_t close_too_many_sockets = 4008;

  ws_session(boost::beast::tcp_stream stream, identity id, hub& h, ws_limits limits);

  // Handshake, snapshot, then reads until the peer goes. The caller keeps a
  // shared_ptr alive for the duration.
  boost::asio::awaitable<void> run(http_request upgrade);

  // Thread-safe. Frames are written in the order given, after the snapshot.
  void send(frame_body body);
  // Thread-safe. A tick's pointers: written as rendered, or, while an earlier
  // batch is still unwritten, merged into it (newer replace older per tab), so a
  // slow reader gets fewer, fresher frames.
  void send_cursors(std::shared_ptr<const cursor_batch> moved);
  // Thread-safe. Sends the snapshot first, then what was queued meanwhile.
  void start_with(frame_body snapshot);
  // Thread-safe. Its sign-in ended: says so, closes with 4001, and nothing
  // it sends counts any more.
  void end_session();

  const identity& id() const { return id_; }

 private:
  boost::asio::awaitable<void> write_loop();
  void handle(std::string_view text, bool is_text);
  void violation(errc code, std::string_view message);
  void enqueue(frame_body body);
  void refuse(errc why, std::string_view message, std::uint16_t close_code);
  void request_close(std::uint16_t code, std::string reason);
  void drop(const char* why);
  void wake() { wake_.cancel(); }

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  identity id_;
  hub& hub_;
  ws_limits limits_;
  boost::asio::steady_timer wake_;

  // Touched only on the strand.
  std::deque<frame_body> outbox_;
  std::size_t outbox_bytes_ = 0;
  std::shared_ptr<const cursor_batch> pending_batch_;  // the common case: one tick's frame, unmerged
  std::map<tab_key, frame_body> pending_cursors_;      // merged ticks (a slow reader)
  std::optional<frame_body> snapshot_;
  bool started_ = false;
  bool closed_ = false;
  bool ended_ = false;  // its sign-in ended
  std::optional<boost::beast::websocket::close_reason> close_;
  std::uint64_t seq_ = 0;
  token_bucket messages_;
  token_bucket violations_;
  std::chrono::steady_clock::time_point last_activity_{};
};

}  // namespace slotlock
