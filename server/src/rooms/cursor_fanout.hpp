#pragma once
// Pointers that moved in a room during one tick, to its members: serialised once per room per
// tick, one frame for everyone who may see every pointer that moved and one per mover without
// their own (nobody receives their own pointer).

#include <memory>
#include <vector>

#include "rooms/frames.hpp"
#include "rooms/room_member.hpp"

namespace slotlock {

void fan_out_cursors(const std::vector<std::shared_ptr<room_member>>& members, const std::vector<cursor>& moved);

}  // namespace slotlock
