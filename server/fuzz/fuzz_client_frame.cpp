// WebSocket client frames (PRODUCT.md section 3): whatever arrives, the parser
// answers a frame or an error, and a cursor it accepts is inside the form.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rooms/frames.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = slotlock::parse_client_frame(text);
  if (const auto* frame = std::get_if<slotlock::client_frame>(&parsed)) {
    if (size > slotlock::max_client_frame) std::abort();
    if (const auto* c = std::get_if<slotlock::cursor_frame>(frame)) {
      if (!(c->x >= 0 && c->x <= 1 && c->y >= 0 && c->y <= 1)) std::abort();
    }
  } else {
    const auto& e = std::get<slotlock::frame_error>(parsed);
    if (e.message.empty()) std::abort();
    // The error goes back to the client as a frame: rendering it must hold too.
    if (!slotlock::render_error(e.code, e.message)) std::abort();
  }
  return 0;
}
