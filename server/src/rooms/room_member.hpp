#pragma once
// What the rooms need of a connection: who it is, and ways to hand it frames. ws_session
// implements it over a Beast WebSocket; the hub's unit tests implement it with a vector.

#include <memory>
#include <string>

#include "domain/user.hpp"
#include "rooms/frames.hpp"

namespace slotlock {

struct member_identity {
  user who;
  std::string auth_session;  // the sign-in that issued the ticket (its token hash)
  std::string session_id;
  std::string room;  // appointment id; empty for the list-wide feed
  std::string color;
  bool holds_lock = false;  // held the room's lock when it connected: a full room lets it in
};

class room_member {
 public:
  virtual ~room_member() = default;

  virtual const member_identity& id() const = 0;
  // All thread-safe. Frames are written in the order given, after the snapshot.
  virtual void send(frame_body body) = 0;
  // A tick's pointers (one batch shared by the room, see make_cursor_batch).
  virtual void send_cursors(std::shared_ptr<const cursor_batch> moved) = 0;
  // The first frame; what was sent before it waits for it.
  virtual void start_with(frame_body snapshot) = 0;
  // Its sign-in ended: says so and closes; nothing it sends counts any more.
  virtual void end_session() = 0;
  // The room is gone (its appointment was deleted): closes normally once what was sent is out.
  virtual void close_room() = 0;
  // The keep-alive sweep, every few seconds: a quiet peer is pinged, a silent one dropped.
  virtual void check_alive() = 0;
};

// A member as the others in its room see it (presence).
inline viewer viewer_of(const room_member& m) {
  const auto& id = m.id();
  return {id.who.id, id.who.name, id.who.email, id.who.role, id.session_id, id.color};
}

}  // namespace slotlock
