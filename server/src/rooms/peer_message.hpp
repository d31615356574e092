#pragma once
// What the hub of one process tells the hubs of the others that share its
// PostgreSQL database (ADR 0010): who views which appointment there, where
// their pointers moved, and that it is still alive. Carried by
// event_bus::broadcast(), compact JSON below NOTIFY's payload limit.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rooms/frames.hpp"

namespace slotlock {

struct peer_message {
  enum class kind {
    viewers,       // the whole list of the process's viewers of an appointment (empty: none left)
    more_viewers,  // the rest of a list too long for one payload, right after it
    cursors,       // pointer moves of those viewers since the last tick
    alive,         // sent every second: a process not heard from for a while is gone
    hello,         // a process started or lost messages: everyone sends their viewers again
    bye,           // a process is stopping: its viewers are gone
    draft,         // the holder's unsaved values, typed on that process (`parts` payloads in all)
    more_draft,    // the rest of a draft too long for one payload: its pieces are appended
  };
  struct move {
    std::string user_id;
    std::string session_id;
    double x = 0;
    double y = 0;
  };

  enum kind kind = kind::alive;
  std::string process_id;
  std::string appointment_id;         // viewers, more_viewers (empty: the list feed), cursors, drafts
  std::vector<viewer> viewers;        // viewers, more_viewers
  std::vector<move> moves;            // cursors
  std::optional<shared_draft> draft;  // draft: whole or the first part; more_draft: pieces to append
  int parts = 1;                      // draft: how many payloads the whole draft took
};

// One or more payloads of at most `limit` bytes: a long list of viewers
// continues in more_viewers messages, a long list of moves in more cursors messages, a long
// draft in more_draft messages (long texts cut into pieces).
std::vector<std::string> encode_peer_message(const peer_message& m, std::size_t limit = 7000);
// nullopt for a payload that is not a peer message of this build.
std::optional<peer_message> decode_peer_message(std::string_view payload);

// Appends a more_draft's pieces to the draft they continue.
void append_draft_pieces(shared_draft& whole, const shared_draft& more);

}  // namespace slotlock
