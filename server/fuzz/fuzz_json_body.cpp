// Request bodies: body_reader read the way the routes read them (an
// appointment, a lock request, a user), then validate() on the appointment.
// Malformed input must end as a problem, never a crash; what validate()
// accepts must keep its own rules.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/appointment_service.hpp"
#include "domain/time.hpp"
#include "http/json_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  {  // PUT /api/appointments/:id
    slotlock::body_reader body(text);
    const auto in = slotlock::read_appointment(body);
    const auto version = body.integer("version");
    (void)version;
    if (!body.ok()) {
      if (body.problem().message.empty()) std::abort();
    } else if (auto fields = slotlock::validate(in)) {
      if (fields->title.empty() || fields->ends_at <= fields->starts_at) std::abort();
      if (fields->ends_at - fields->starts_at > std::chrono::hours(24)) std::abort();
      // What is stored is shown again: it must read back as the same instant.
      if (slotlock::parse_iso(slotlock::format_iso(fields->starts_at)) != fields->starts_at) std::abort();
    } else if (fields.err().fields.empty()) {
      std::abort();
    }
  }
  {  // acquire-lock, PATCH /api/users/:id
    slotlock::body_reader body(text);
    (void)body.text("sessionId", true);
    (void)body.flag("takeover");
    (void)body.flag("queue");
    (void)body.optional_integer("fencingToken");
    (void)body.optional_text("role");
    (void)body.optional_flag("disabled");
    (void)body.ok();
  }
  return 0;
}
