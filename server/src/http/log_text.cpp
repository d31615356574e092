#include "http/log_text.hpp"

#include "domain/text.hpp"

namespace slotlock {

namespace {

// U+2028/U+2029 end a line in some viewers; U+202A..U+202E and U+2066..U+2069 reorder what
// follows them on screen.
bool line_or_direction(std::string_view s, std::size_t i) {
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  const auto b2 = static_cast<unsigned char>(s[i + 2]);
  return (b1 == 0x80 && b2 >= 0xA8 && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9);
}

void escape(std::string& out, unsigned char c) {
  static constexpr char hex[] = "0123456789ABCDEF";
  out += "\\x";
  out += hex[c >> 4];
  out += hex[c & 0xF];
}

}  // namespace

std::string log_text(std::string_view s, std::size_t limit) {
  const std::string_view shown = s.substr(0, limit);
  std::string out;
  out.reserve(shown.size() + 16);
  for (std::size_t i = 0; i < shown.size();) {
    const auto c = static_cast<unsigned char>(shown[i]);
    const std::size_t n = utf8_sequence(shown, i);
    if (n == 0) {
      escape(out, c);  // invalid, or cut by the limit
      ++i;
    } else if (n == 1) {
      if (c < 0x20 || c == 0x7F || c == '\\')
        escape(out, c);
      else
        out += static_cast<char>(c);
      ++i;
    } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(shown[i + 1]) < 0xA0) {
      // U+0080..U+009F: C1 controls, which some terminals obey (U+009B is CSI).
      escape(out, c);
      escape(out, static_cast<unsigned char>(shown[i + 1]));
      i += 2;
    } else if (n == 3 && c == 0xE2 && line_or_direction(shown, i)) {
      for (std::size_t k = 0; k < 3; ++k) escape(out, static_cast<unsigned char>(shown[i + k]));
      i += 3;
    } else {
      out.append(shown.substr(i, n));
      i += n;
    }
  }
  if (s.size() > shown.size()) out += "…(+" + std::to_string(s.size() - shown.size()) + " bytes)";
  return out;
}

}  // namespace slotlock
