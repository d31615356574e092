#pragma once
// The one way the domain changes the store and tells the world: work in a transaction whose
// conditional writes may lose a race (another writer changed the row), tried again from the
// start when it does, and whose events go out only once it committed.

#include <functional>
#include <vector>

#include "domain/events.hpp"

namespace slotlock {

class store;
class store_tx;

enum class step { commit, rollback, retry };

// Runs `work` in a store transaction; again from the start while it returns retry, at most 16
// times, then throws busy_error. When it commits, the events it left in its vector go
// out with the commit (event_bus::publish_in) and, after the commit, to `committed` and then
// to the in-process subscribers (publish_committed) — in commit order (store_tx::after_commit).
void transact_with_events(store& s, event_bus& bus, const std::function<step(store_tx&, std::vector<event>&)>& work,
                          std::function<void(const std::vector<event>&)> committed = {});

}  // namespace slotlock
