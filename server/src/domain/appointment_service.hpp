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

struct delete_request {
  std::string appointment_id;
  std::optional<std::int64_t> fencing_token;  // X-Lock-Token
  user caller;
};

// A page of the list and where the next one starts (none: this is the last).
struct appointment_page {
  std::vector<appointment> items;
  std::optional<list_position> next;
};

class appointment_service {
 public:
  appointment_service(store& s, const clock& c, event_bus& bus, seconds lock_ttl)
      : store_(s), clock_(c), bus_(bus), lock_ttl_(lock_ttl) {}

  appointment_page list(appointment_query q);
  // Deleted ones are not_found too, with a message that says so.
  result<appointment> get(const std::string& id);
  result<appointment> create(const appointment_input& input, const user& caller);  // validation_failed
  // The token is checked before the version. Errors: not_found,
  // lock_not_held, validation_failed, version_conflict (with the current one).
  // A save is the holder's activity: it extends the lock. Its history entry is written with it.
  result<appointment> save(const save_request& req);
  // Only the holder deletes, as only the holder saves. Errors: not_found, lock_not_held.
  result<bool> remove(const delete_request& req);
  // Other appointments in the same place at an overlapping time (a cancelled one takes no place).
  std::vector<appointment> conflicts(const conflict_query& q);
  std::vector<appointment> conflicts_with(const appointment& a);
  // Whether the appointment exists or once did (a tombstone): its audit and history stay readable.
  bool known(const std::string& id);
  // Every saved version, newest first; deleted appointments' too. Errors: not_found.
  result<std::vector<history_entry>> history(const std::string& id);

 private:
  store& store_;
  const clock& clock_;
  event_bus& bus_;
  seconds lock_ttl_;
};

}  // namespace slotlock
