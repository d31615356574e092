#pragma once
// Text checks shared by the validators. Input is UTF-8 (Boost.JSON rejects
// anything else), and limits are told to people in characters, not bytes.

#include <cstddef>
#include <string_view>

namespace slotlock {

// Code points in valid UTF-8: every byte that does not continue a sequence.
inline std::size_t characters(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

inline bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace slotlock
