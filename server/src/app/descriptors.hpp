#pragma once
// Descriptors for connections: --max-connections only protects the process if that many fit
// under its descriptor limit, with room left for the store, the listener and the logs.

#include <cstddef>

namespace slotlock {

// Descriptors kept for everything but client connections (SQLite files and their WAL, PostgreSQL
// connections, the listener, epoll, pipes, logs).
inline constexpr std::size_t reserved_descriptors = 128;

// Raises the soft RLIMIT_NOFILE toward the hard limit as far as `wanted` connections need,
// and returns how many connections fit: `wanted`, or fewer (with a warning in the log) when the
// hard limit is too low.
std::size_t connection_budget(std::size_t wanted);

}  // namespace slotlock
