#pragma once
// The server process: wires the store, the domain services and the transports
// together, runs them on the I/O threads, and stops them gracefully.

#include "app/config.hpp"

namespace slotlock {

// Runs until SIGTERM/SIGINT; returns the process exit code.
int run_server(const server_config& cfg);

}  // namespace slotlock
