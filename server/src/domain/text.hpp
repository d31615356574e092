#pragma once
// Text checks shared by the validators. JSON input is UTF-8 (Boost.JSON rejects anything
// else); text from the command line or standard input is checked with valid_utf8(). Limits are
// told to people in characters, not bytes.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace slotlock {

// Code points in valid UTF-8: every byte that does not continue a sequence.
inline std::size_t characters(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

inline bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// The length (1–4) of the well-formed UTF-8 sequence that starts at s[i], or 0 when none does
// (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF). i < s.size().
std::size_t utf8_sequence(std::string_view s, std::size_t i);

// Well-formed UTF-8 from start to end.
bool valid_utf8(std::string_view s);

// A C0 control (NUL, tab, newline, ESC …), DEL, or a C1 control (U+0080–U+009F). `s` is valid UTF-8.
bool has_control_characters(std::string_view s);

// Only Unicode white space (spaces of every width, line breaks, the no-break and ideographic
// spaces), or nothing at all. `s` is valid UTF-8.
bool only_white_space(std::string_view s);

// The code points of valid UTF-8, one at a time.
class code_points {
 public:
  explicit code_points(std::string_view s) : s_(s) {}
  // False at the end; `out` is the next code point otherwise.
  bool next(std::uint32_t& out);

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace slotlock
