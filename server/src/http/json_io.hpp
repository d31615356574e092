#pragma once
// JSON in and out: the DTOs of the API (docs/api.md) for the domain types, and
// a strict reader for request bodies.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/appointment.hpp"
#include "domain/appointment_service.hpp"
#include "domain/audit.hpp"
#include "domain/error.hpp"
#include "domain/lock.hpp"
#include "domain/user.hpp"

namespace slotlock {

boost::json::object to_json(const user_ref& u);
boost::json::object to_json(const user& u);  // {id,name,email,role,disabled}
boost::json::object to_json(const appointment& a);
boost::json::object to_json(const lock_record& l);
boost::json::object to_json(const queue_entry& q);
boost::json::object to_json(const lock_offer& o);     // {appointmentId,userId,name,email,sessionId,deadline}
boost::json::object to_json(const history_entry& h);  // {version,at,by,changes}
boost::json::object to_json(const audit_entry& a);
boost::json::value to_json(const std::optional<lock_record>& l);

// Reads members of a JSON object body. The first problem (malformed JSON, a
// member of the wrong type, a missing required member) is kept and every
// later read returns a default; check ok() once at the end.
class body_reader {
 public:
  explicit body_reader(std::string_view body);  // an empty body reads as {}

  std::string text(std::string_view key, bool required = false);
  std::optional<std::string> optional_text(std::string_view key);
  std::optional<std::int64_t> optional_integer(std::string_view key);
  std::int64_t integer(std::string_view key);  // required
  std::optional<bool> optional_flag(std::string_view key);
  bool flag(std::string_view key) { return optional_flag(key).value_or(false); }

  bool ok() const { return !problem_; }
  const error& problem() const { return *problem_; }

 private:
  const boost::json::value* member(std::string_view key, bool required);
  void fail(std::string message);

  boost::json::value doc_;
  std::optional<error> problem_;
};

// An appointment's editable fields, as POST and PUT carry them. A missing
// member is the client's bug (400); an empty one is the person's (422 with
// the field named, from validate()).
appointment_input read_appointment(body_reader& body);

}  // namespace slotlock
