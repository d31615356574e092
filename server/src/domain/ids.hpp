#pragma once

#include <string>

namespace slotlock {

// A random identifier (UUID version 4 text form) from libsodium's CSPRNG.
std::string new_id();

}  // namespace slotlock
