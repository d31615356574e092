// parse_iso (domain/time.hpp): any text is refused or read as an instant that
// formats and reads back unchanged.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto t = slotlock::parse_iso(text);
  if (!t) return 0;
  const auto shown = slotlock::format_iso(*t);
  if (shown.size() != 24 || slotlock::parse_iso(shown) != t) std::abort();
  return 0;
}
