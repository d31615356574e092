#pragma once
// An open connection counted against --max-connections (and in the metrics) for as long as a
// copy of its lease lives: the HTTP session holds it, and hands it to a WebSocket it upgrades to.

#include <memory>

namespace slotlock {

using connection_lease = std::shared_ptr<const void>;

}  // namespace slotlock
