#include "domain/text.hpp"

#include <algorithm>
#include <array>

namespace slotlock {

std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // past U+10FFFF
    return 4;
  }
  return 0;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool code_points::next(std::uint32_t& out) {
  if (i_ >= s_.size()) return false;
  const auto c = static_cast<unsigned char>(s_[i_]);
  const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  out = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < n && i_ + k < s_.size(); ++k)
    out = (out << 6) | (static_cast<unsigned char>(s_[i_ + k]) & 0x3F);
  i_ += n;
  return true;
}

bool has_control_characters(std::string_view s) {
  code_points cps(s);
  for (std::uint32_t cp = 0; cps.next(cp);)
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  return false;
}

bool only_white_space(std::string_view s) {
  // Unicode White_Space, and the zero-width characters that look like nothing at all.
  static constexpr std::array<std::uint32_t, 13> singles{0x20,   0x85,   0xA0,   0x1680, 0x2028, 0x2029, 0x202F,
                                                         0x205F, 0x3000, 0x180E, 0x200B, 0xFEFF, 0x2060};
  code_points cps(s);
  for (std::uint32_t cp = 0; cps.next(cp);) {
    const bool space = (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x2000 && cp <= 0x200A) ||
                       std::find(singles.begin(), singles.end(), cp) != singles.end();
    if (!space) return false;
  }
  return true;
}

}  // namespace slotlock
