#pragma once
// The WebSocket protocol of PRODUCT.md section 3: strict parsing of client
// frames, and server frames rendered once and shared by every recipient.
//
// A server frame is kept as its JSON members without the opening brace
// ("\"type\":\"presence\",...}"); each connection prefixes its own
// "{\"seq\":N," when it writes, so one rendering serves a whole room.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "domain/error.hpp"
#include "domain/events.hpp"
#include "domain/lock.hpp"
#include "domain/user.hpp"

namespace slotlock {

constexpr std::size_t max_client_frame = 4096;
constexpr std::size_t max_draft_frame = 16384;  // a draft carries the holder's text

// An appointment's editable fields by API name, as text: what a draft may carry.
bool is_editable_field(std::string_view name);

// Client → server.
struct cursor_frame {
  double x = 0;
  double y = 0;
};
struct activity_frame {};
struct ping_frame {};
// The holder's unsaved values (field name, text), in the order sent; none: back to the saved ones.
struct draft_frame {
  std::vector<std::pair<std::string, std::string>> fields;
};
using client_frame = std::variant<cursor_frame, activity_frame, ping_frame, draft_frame>;

struct frame_error {
  errc code = errc::bad_message;  // bad_message, frame_too_large, rate_limited
  std::string message;
};

std::variant<client_frame, frame_error> parse_client_frame(std::string_view text);

// Server → client.
using frame_body = std::shared_ptr<const std::string>;

struct viewer {
  std::string user_id;
  std::string name;
  std::string email;
  enum role role = role::user;
  std::string session_id;
  std::string color;
};

// A browser tab: (user id, sessionId). A sessionId alone is not an identity:
// every viewer sees everyone's, and another user naming the same one is a
// different tab that can neither move nor erase the first one's pointer.
using tab_key = std::pair<std::string, std::string>;

struct cursor {
  std::string user_id;
  std::string session_id;
  std::string name;
  std::string color;
  double x = 0;
  double y = 0;

  tab_key tab() const { return {user_id, session_id}; }
};

// A stable colour for a user, from a palette that reads well on white.
std::string color_for(std::string_view user_id);

std::string render_viewer(const viewer& v);  // JSON object text
std::string render_cursor(const cursor& c);  // JSON object text

// What the holder typed and has not saved, relayed to the room (never stored).
struct shared_draft {
  std::string session_id;
  user_ref who;
  std::vector<std::pair<std::string, std::string>> fields;
};

struct room_snapshot {
  std::string server_time;
  std::optional<lock_record> lock;
  std::string appointment_id;
  std::int64_t version = 0;
  std::vector<viewer> presence;
  std::vector<cursor> cursors;
  std::vector<queue_entry> queue;
  std::optional<lock_offer> offer;
  std::optional<shared_draft> draft;
};

frame_body render_snapshot(const room_snapshot& s);
frame_body render_feed_snapshot(const std::string& server_time, const std::vector<lock_record>& locks,
                                const std::vector<lock_offer>& offers);
frame_body render_draft(const shared_draft& d);
// nullopt for events that have no frame.
frame_body render_event(const event& e);
frame_body render_presence(const std::vector<viewer>& viewers);
// `objects` are render_cursor() texts.
frame_body render_cursors(const std::vector<std::shared_ptr<const std::string>>& objects);
frame_body render_error(errc code, std::string_view message);
frame_body render_pong(const std::string& server_time);

// "{\"seq\":N," + body: the text a connection sends.
std::string with_seq(std::uint64_t seq, const std::string& body);
// The part of a frame before its shared body: `{"seq":N,` (written with the body as two buffers).
std::string seq_prefix(std::uint64_t seq);

// The pointers that moved in a room in one tick, rendered once for every viewer who may see all
// of them (and once more per mover, without their own): a session writes `frame` as it is, or,
// while a frame of its own is still unwritten, merges `objects` into it (newest per tab).
struct cursor_batch {
  frame_body frame;
  std::vector<std::pair<tab_key, frame_body>> objects;
};
std::shared_ptr<const cursor_batch> make_cursor_batch(std::vector<std::pair<tab_key, frame_body>> objects);

}  // namespace slotlock
