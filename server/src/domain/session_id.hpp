#pragma once
// A browser tab's id (PRODUCT.md §2 "Limits at the edge"): 1–128 characters of
// A-Z a-z 0-9 . _ : -. It travels into frames, logs and the store, so nothing
// else (no quote, no control character, no invalid UTF-8) ever gets that far.

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace slotlock {

inline constexpr std::size_t max_session_id = 128;

inline bool valid_session_id(std::string_view s) {
  if (s.empty() || s.size() > max_session_id) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == ':' || c == '-';
  });
}

inline constexpr std::string_view session_id_rule =
    "sessionId must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'.";

}  // namespace slotlock
