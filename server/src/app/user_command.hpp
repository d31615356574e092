#pragma once

#include "app/config.hpp"

namespace slotlock {

// `slotlock user ...`: returns the process exit code.
int run_user_command(const server_config& cfg, const user_command_args& args);

}  // namespace slotlock
