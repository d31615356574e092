#pragma once
// One WebSocket connection: its socket, its outbox, a read loop and a writer
// (one write in flight; each completion starts the next). The hub hands it
// frames from any thread; everything else happens on the connection's strand.
//
// Small while idle (docs/adr/0013): no read buffer between messages, no
// timer of its own waiting (the hub's tick sweeps every member with
// check_alive()), and nothing of the HTTP request that opened it.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "domain/token_bucket.hpp"
#include "http/connection_lease.hpp"
#include "http/router.hpp"
#include "rooms/frames.hpp"
#include "rooms/room_member.hpp"

namespace slotlock {

class hub;

struct ws_limits {
  std::size_t max_read = 64 * 1024;      // larger frames end the connection (1009)
  std::size_t max_outbox_frames = 1024;  // a client this far behind is dropped
  std::size_t max_outbox_bytes = 4 << 20;
  double messages_per_second = 40;  // cursors at 20/s leave room for the rest
  double message_burst = 80;
  double drafts_per_second = 5;  // the holder's typing, shared with the room
  double draft_burst = 5;
  double violations_burst = 5;  // this many bad frames in a row, then 1008
  double violations_per_second = 0.1;
  std::chrono::milliseconds activity_interval{2000};  // at most one heartbeat per this
  // Nothing heard for half of it: a ping; for all of it: the peer is gone (checked at each
  // keep-alive sweep, so dropped up to one sweep later).
  std::chrono::milliseconds idle_timeout{30000};
};

// This process's WebSockets, for /metrics. Process-wide rather than a member of each session:
// an idle socket's size is watched byte by byte (docs/adr/0013).
struct ws_counters {
  std::atomic<std::int64_t> open{0};
  std::atomic<std::uint64_t> dropped_silent{0};  // closed: pings unanswered
  std::atomic<std::uint64_t> dropped_slow{0};    // closed: its outbox overflowed
  std::atomic<std::uint64_t> dropped_frames{0};  // frames those closings left unsent
};

class ws_session final : public room_member, public std::enable_shared_from_this<ws_session> {
 public:
  using identity = member_identity;

  static const ws_counters& counters();

  // Close codes of our own (4000–4999 are the application's).
  static constexpr std::uint16_t close_session_ended = 4001;
  static constexpr std::uint16_t close_too_many_sockets = 4008;

  ws_session(boost::asio::ip::tcp::socket socket, identity id, hub& h, std::shared_ptr<const ws_limits> limits,
             connection_lease lease);
  ~ws_session() override;
  ws_session(const ws_session&) = delete;
  ws_session& operator=(const ws_session&) = delete;

  // Answers the upgrade (101). False when the handshake failed: then nothing else happens.
  boost::asio::awaitable<bool> accept(const http_request& upgrade);
  // Joins the room, starts the writer, and reads until the peer goes. Spawned on its own
  // once accepted; the caller keeps a shared_ptr alive for the duration.
  boost::asio::awaitable<void> run();

  boost::asio::any_io_executor get_executor() { return ws_.get_executor(); }  // the connection's strand
  const identity& id() const override { return id_; }
  void send(frame_body body) override;
  // Written as rendered, or, while an earlier batch is still unwritten, merged into it (newer
  // replace older per tab), so a slow reader gets fewer, fresher frames.
  void send_cursors(std::shared_ptr<const cursor_batch> moved) override;
  void start_with(frame_body snapshot) override;
  void end_session() override;
  void close_room() override;
  void check_alive() override;

 private:
  // Starts the next write (a frame, a ping or the close) unless one is in flight; its
  // completion calls it again. An idle socket has nothing pending but its read.
  void pump();
  void handle(std::string_view text, bool is_text);
  void violation(errc code, std::string_view message);
  void enqueue(frame_body body);
  void refuse(errc why, std::string_view message, std::uint16_t close_code);
  void request_close(std::uint16_t code, std::string reason);
  enum class drop_reason { silent, slow };
  void drop(drop_reason why);

  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  identity id_;
  hub& hub_;
  std::shared_ptr<const ws_limits> limits_;
  connection_lease lease_;

  // Touched only on the strand.
  // A vector read from outbox_head_ (a deque would hold a block of its own while empty).
  std::vector<frame_body> outbox_;
  std::size_t outbox_head_ = 0;
  std::size_t outbox_bytes_ = 0;
  std::shared_ptr<const cursor_batch> pending_batch_;  // the common case: one tick's frame, unmerged
  std::map<tab_key, frame_body> pending_cursors_;      // merged ticks (a slow reader)
  std::optional<frame_body> snapshot_;
  bool started_ = false;
  bool closed_ = false;
  bool writing_ = false;          // a write, ping or close is in flight
  std::string prefix_;            // the in-flight frame's `{"seq":N,`
  frame_body in_flight_;          // and its body, kept alive until written
  bool ended_ = false;            // its sign-in ended
  bool ping_due_ = false;         // the keep-alive sweep found it quiet
  std::uint16_t close_code_ = 0;  // a close is asked for (a close_reason is large: made when sent)
  std::string close_reason_;
  std::array<char, 128> piece_;  // what one read takes (most client messages fit)
  std::uint64_t seq_ = 0;
  token_bucket messages_;
  token_bucket violations_;
  token_bucket drafts_;
  std::chrono::steady_clock::time_point last_activity_{};
  std::chrono::steady_clock::time_point last_heard_;  // any frame, pongs included
};

}  // namespace slotlock
