#pragma once
// Appointments: validation, optimistic versioning, and the save guard (the
// caller must hold the current lock, then match the current version).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/appointment.hpp"
#include "domain/error.hpp"
#include "domain/events.hpp"
#include "domain/time.hpp"
#include "domain/user.hpp"

namespace slotlock {

class store;

// Fields as a client sends them: text, checked and converted here so that
// every field error is reported in one place.
struct appointment_input {
  std::string title;
  std::string client_name;
  std::string client_email;
  std::string starts_at;
  std::string ends_at;
  std::string location;
  std::string notes;
  std::string status = "scheduled";
};

// Errors: validation_failed with one entry per field (API field names).
result<appointment_fields> validate(const appointment_input& input);

struct save_request {
  std::string appointment_id;
  appointment_input input;
  std::int64_t based_on_version = 0;
  std::optional<std::int64_t> fencing_token;  // X-Lock-Token
  user caller;
};

class appointment_service {
 public:
  appointment_service(store& s, const clock& c, event_bus& bus, seconds lock_ttl)
      : store_(s), clock_(c), bus_(bus), lock_ttl_(lock_ttl) {}

  std::vector<appointment> list();
  result<appointment> get(const std::string& id);                                  // not_found
  result<appointment> create(const appointment_input& input, const user& caller);  // validation_failed
  // The token is checked before the version. Errors: not_found,
  // lock_not_held, validation_failed, version_conflict (with the current one).
  // A save is the holder's activity: it extends the lock.
  result<appointment> save(const save_request& req);

 private:
  store& store_;
  const clock& clock_;
  event_bus& bus_;
  seconds lock_ttl_;
};

}  // namespace slotlock
