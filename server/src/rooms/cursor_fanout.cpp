#include "rooms/cursor_fanout.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>

namespace slotlock {

void fan_out_cursors(const std::vector<std::shared_ptr<room_member>>& members, const std::vector<cursor>& moved) {
  if (moved.empty()) return;
  std::vector<std::pair<tab_key, frame_body>> all;
  all.reserve(moved.size());
  for (const auto& c : moved) all.emplace_back(c.tab(), std::make_shared<const std::string>(render_cursor(c)));
  const auto everyone = make_cursor_batch(all);
  std::unordered_map<std::string, std::shared_ptr<const cursor_batch>> without;  // by mover's user id
  for (const auto& m : members) {
    const auto& me = m->id().who.id;
    if (std::none_of(moved.begin(), moved.end(), [&](const cursor& c) { return c.user_id == me; })) {
      m->send_cursors(everyone);
      continue;
    }
    auto [it, fresh] = without.try_emplace(me);
    if (fresh) {
      std::vector<std::pair<tab_key, frame_body>> theirs;
      for (std::size_t i = 0; i < moved.size(); ++i)
        if (moved[i].user_id != me) theirs.push_back(all[i]);
      if (!theirs.empty()) it->second = make_cursor_batch(std::move(theirs));
    }
    if (it->second) m->send_cursors(it->second);
  }
}

}  // namespace slotlock
