#pragma once
// The rooms: who watches which appointment (presence), where their pointers
// are (cursors, coalesced per room per tick: cursor_fanout), lock and save
// events fanned out to each room and to the list-wide feed, and the clock of
// a tab that went away (the domain's disconnect_graces decides what then).
//
// Processes sharing one PostgreSQL database tell each other their viewers
// and pointer moves (peer_message over event_bus::broadcast; what they said is
// kept in a peer_directory): a room shows everyone viewing it on any process,
// and when a process falls silent its viewers leave and the locks of its
// holders' tabs go after the grace.
//
// Members are room_member interfaces: the hub knows nothing of Beast, and its
// tests use fake members. One timer drives everything periodic: the tick.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/disconnect_grace.hpp"
#include "domain/events.hpp"
#include "domain/time.hpp"
#include "rooms/frames.hpp"
#include "rooms/peer_directory.hpp"
#include "rooms/peer_message.hpp"
#include "rooms/refresh_throttle.hpp"
#include "rooms/room_member.hpp"

namespace slotlock {

class lock_service;
class appointment_service;

struct hub_settings {
  seconds disconnect_grace{15};
  std::chrono::milliseconds tick{20};                // cursor frames: 50 per second at most
  std::chrono::milliseconds keepalive_every{10000};  // each member's check_alive()
  std::chrono::milliseconds refresh_every{3000};     // lock.refreshed: at most this often per appointment
  std::size_t max_room_viewers = 200;                // the holder and admins get in all the same
  std::size_t max_user_sockets_per_room = 8;         // one person cannot fill a room
  std::size_t max_user_sockets = 32;                 // nor hold a thousand sockets open
  std::chrono::milliseconds peer_alive_every{1000};
  std::chrono::milliseconds peer_timeout{5000};        // a peer silent this long is gone
  std::chrono::milliseconds peer_resend_every{10000};  // every room's viewers again, in case some were lost
};

class hub {
 public:
  hub(boost::asio::io_context& ioc, boost::asio::thread_pool& blocking, lock_service& locks,
      appointment_service& appointments, const clock& c, hub_settings settings);

  ~hub();
  hub(const hub&) = delete;
  hub& operator=(const hub&) = delete;

  void start(event_bus& bus);
  void stop();

  // False once the hub is gone. Sessions whose coroutines are destroyed with the io_context,
  // after the hub, check it before leaving their room.
  std::shared_ptr<const bool> alive() const { return alive_; }

  enum class join_result { joined, room_full, too_many_sockets };
  join_result join(const std::shared_ptr<room_member>& m);
  void leave(const room_member& m);
  // Reads the store off the I/O threads and starts the member with it.
  void prepare_snapshot(const std::shared_ptr<room_member>& m);
  void cursor_moved(const room_member& m, double x, double y);
  // The holder's tab is in use: refreshes the lock (as a heartbeat).
  void activity(const room_member& m);
  // What the holder typed: shared with the room here and on peers, if the member's tab holds
  // the room's lock (else it is told so).
  void draft(const std::shared_ptr<room_member>& m, draft_frame d);

  // The pointer of a tab viewing an appointment, for the holder's `position`.
  std::optional<pointer_position> position_of(const std::string& appointment_id, const tab_key& tab);
  // Whether the tab is in the app: a socket in the appointment's room or on the list feed,
  // here or on a peer. A place in the line needs it.
  bool tab_open(const std::string& appointment_id, const tab_key& tab);
  // Appointments with at least one viewer connected to this process (for /metrics).
  std::size_t room_count();

 private:
  struct room {
    std::vector<std::shared_ptr<room_member>> members;
    std::map<tab_key, cursor> cursors;
    std::set<tab_key> moved;  // since the last tick
  };

  void on_event(const event& e);
  void end_sessions(const session_ended& e);
  // A snapshot read off the I/O threads: the session's first frame, or (a
  // resync) one more frame.
  void send_snapshot(const std::shared_ptr<room_member>& m, bool first);
  void resync();
  void deliver(const std::string& appointment_id, const frame_body& body, bool to_feed);
  void tick();
  void schedule_tick();
  void release_expired_graces();
  void check_members_alive();
  // Everyone viewing the appointment, here and on peer processes.
  std::vector<viewer> viewers_of(const std::string& appointment_id, const room* r) const;
  void send_presence(const std::string& appointment_id, const room& r);
  // A socket of the tab in the room (appointment_id empty: on the list feed), here or on a peer.
  bool tab_connected(const std::string& appointment_id, const tab_key& tab) const;
  // Sends a draft to the room's members but `from`, and keeps it for the room's snapshots
  // (callers hold mutex_).
  void share_draft(const std::string& appointment_id, shared_draft d, const room_member* from);
  void forget_draft(const std::string& appointment_id);
  // Peers (callers hold mutex_).
  void on_peer_message(std::string_view payload);
  void tell_peers(const peer_message& m);
  void tell_peers_on_tick();
  void drop_peer(const std::string& process_id);
  void start_grace(const std::string& appointment_id, const std::string& user_id, const std::string& session_id);

  boost::asio::io_context& ioc_;
  boost::asio::thread_pool& blocking_;
  lock_service& locks_;
  appointment_service& appointments_;
  const clock& clock_;
  hub_settings settings_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer ticker_;

  std::mutex mutex_;
  std::unordered_map<std::string, room> rooms_;
  std::vector<std::shared_ptr<room_member>> feed_;
  std::unordered_map<std::string, std::size_t> sockets_of_user_;  // rooms and feed, by user id
  refresh_throttle refreshes_;
  // By appointment, user and tab: only the same person's tab coming back
  // stops the clock (a sessionId is visible to every viewer).
  disconnect_graces graces_;
  std::chrono::steady_clock::time_point last_keepalive_{};
  std::atomic<bool> stopped_{false};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // written on the strand, read by the bus thread too

  event_bus* bus_ = nullptr;  // set by start()
  std::string process_id_;
  peer_directory peers_;
  std::set<std::string> viewers_changed_;  // appointments whose viewers here changed since the last tick
  // The holder's unsaved values by appointment, typed here or on a peer: for snapshots.
  std::unordered_map<std::string, shared_draft> drafts_;
  // Drafts arriving from peers in several parts: (process, appointment) → the parts so far.
  struct draft_parts {
    shared_draft draft;
    int expected = 1;
    int got = 0;
  };
  std::map<std::pair<std::string, std::string>, draft_parts> incoming_drafts_;
  std::chrono::steady_clock::time_point last_alive_{};
  std::chrono::steady_clock::time_point last_resend_{};
  // When our own `alive` last came back: silence from the others means
  // something only while our side of the channel works.
  std::chrono::steady_clock::time_point last_heard_self_{};
};

}  // namespace slotlock
