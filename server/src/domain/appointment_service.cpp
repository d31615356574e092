#include "domain/appointment_service.hpp"

#include "domain/ids.hpp"
#include "domain/lock_service.hpp"
#include "domain/store.hpp"
#include "domain/text.hpp"
#include "domain/transaction.hpp"
#include "domain/user_service.hpp"

namespace slotlock {

namespace {

constexpr std::size_t max_title = 200;
constexpr std::size_t max_name = 200;
constexpr std::size_t max_location = 200;
constexpr std::size_t max_notes = 5000;

void required_text(const char* field, const std::string& value, std::size_t max, std::vector<field_error>& out) {
  if (blank(value))
    out.push_back({field, "is required"});
  else if (characters(value) > max)
    out.push_back({field, "must be at most " + std::to_string(max) + " characters"});
}

// What viewers are told of a save: the new version, and the holder's lock refreshed.
std::vector<event> saved_events(const appointment& saved, const lock_record& touched) {
  lock_event refreshed;
  refreshed.kind = lock_event_kind::refreshed;
  refreshed.appointment_id = saved.id;
  refreshed.lock = touched;
  return {appointment_updated{saved.id, saved.version, saved.updated_by}, std::move(refreshed)};
}

error no_such_appointment() { return make_error(errc::not_found, "No such appointment."); }

error was_deleted() { return make_error(errc::not_found, "This appointment was deleted."); }

// Why an appointment cannot be read or changed: it never existed, or it is a tombstone.
std::optional<error> missing(const std::optional<appointment>& a, bool has_lock_slot = true) {
  if (a && a->deleted_at) return was_deleted();
  if (!a || !has_lock_slot) return no_such_appointment();
  return std::nullopt;
}

// The token alone is not proof: everyone watching sees it. It must be the caller's own live lock.
bool holds(const lock_slot& slot, std::optional<std::int64_t> token, const user& caller, time_point now) {
  return token && is_live(slot, now) && slot.lock->fencing_token == *token && slot.lock->holder.id == caller.id;
}

}  // namespace

result<appointment_fields> validate(const appointment_input& in) {
  std::vector<field_error> errors;
  appointment_fields f;
  required_text("title", in.title, max_title, errors);
  required_text("clientName", in.client_name, max_name, errors);
  if (!looks_like_email(in.client_email)) errors.push_back({"clientEmail", "must be an e-mail address"});
  if (characters(in.location) > max_location) errors.push_back({"location", "must be at most 200 characters"});
  if (characters(in.notes) > max_notes) errors.push_back({"notes", "must be at most 5000 characters"});
  const auto starts = parse_iso(in.starts_at);
  const auto ends = parse_iso(in.ends_at);
  if (!starts) errors.push_back({"startsAt", "must be a date and time like 2026-11-28T09:30:00Z"});
  if (!ends) errors.push_back({"endsAt", "must be a date and time like 2026-11-28T10:00:00Z"});
  if (starts && ends && *ends <= *starts)
    errors.push_back({"endsAt", "must be after the start"});
  else if (starts && ends && *ends - *starts > max_appointment_length)
    errors.push_back({"endsAt", "must be within 24 hours of the start"});
  const auto status = parse_appointment_status(in.status);
  if (!status) errors.push_back({"status", "must be scheduled, confirmed or cancelled"});
  if (!errors.empty()) {
    auto e = make_error(errc::validation_failed, "Some fields need attention.");
    e.fields = std::move(errors);
    return e;
  }
  f.title = in.title;
  f.client_name = in.client_name;
  f.client_email = in.client_email;
  f.starts_at = *starts;
  f.ends_at = *ends;
  f.location = in.location;
  f.notes = in.notes;
  f.status = *status;
  return f;
}

appointment_page appointment_service::list(appointment_query q) {
  const int limit = q.limit;
  q.limit = limit + 1;  // one more tells whether there is a next page
  appointment_page page;
  page.items = store_.list_appointments(q);
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<std::size_t>(limit));
    page.next = list_position{page.items.back().fields.starts_at, page.items.back().id};
  }
  return page;
}

result<appointment> appointment_service::get(const std::string& id) {
  auto a = store_.find_appointment(id);
  if (auto e = missing(a)) return std::move(*e);
  return std::move(*a);
}

result<appointment> appointment_service::create(const appointment_input& input, const user& caller) {
  auto fields = validate(input);
  if (!fields) return std::move(fields.err());
  appointment a;
  a.id = new_id();
  a.fields = std::move(*fields);
  a.version = 1;
  a.updated_at = clock_.now();
  a.updated_by = ref_of(caller);
  transact_with_events(store_, bus_, [&](store_tx& tx, std::vector<event>& events) {
    tx.insert_appointment(a);
    tx.append_history({a.id, a.version, a.updated_at, a.updated_by, changes_between(nullptr, a.fields)});
    events = {appointment_created{a}};
    return step::commit;
  });
  return a;
}

std::vector<appointment> appointment_service::conflicts(const conflict_query& q) {
  if (blank(q.location)) return {};
  return store_.find_conflicts(q);
}

std::vector<appointment> appointment_service::conflicts_with(const appointment& a) {
  if (a.fields.status == appointment_status::cancelled) return {};
  return conflicts({a.fields.location, a.fields.starts_at, a.fields.ends_at, a.id});
}

bool appointment_service::known(const std::string& id) { return store_.find_appointment(id).has_value(); }

result<std::vector<history_entry>> appointment_service::history(const std::string& id) {
  if (!known(id)) return no_such_appointment();
  return store_.history(id);
}

result<bool> appointment_service::remove(const delete_request& req) {
  std::optional<result<bool>> out;
  const auto& id = req.appointment_id;
  transact_with_events(store_, bus_, [&](store_tx& tx, std::vector<event>& events) {
    const auto now = clock_.now();
    const auto slot = tx.read_lock(id);  // first: on PostgreSQL it locks the row
    const auto current = tx.find_appointment(id);
    if (auto e = missing(current, slot.has_value())) {
      out = std::move(*e);
      return step::rollback;
    }
    if (!holds(*slot, req.fencing_token, req.caller, now)) {
      out = make_error(errc::lock_not_held, "Only the person editing this appointment can delete it.");
      return step::rollback;
    }
    if (!tx.delete_appointment(id, now, ref_of(req.caller))) return step::retry;
    audit_entry entry;
    entry.at = now;
    entry.appointment_id = id;
    entry.action = audit_action::deleted;
    entry.actor = ref_of(req.caller);
    entry.reason = "user";
    tx.append_audit(entry);
    events = {appointment_deleted{id, ref_of(req.caller)}};
    out = true;
    return step::commit;
  });
  return std::move(*out);
}

result<appointment> appointment_service::save(const save_request& req) {
  std::optional<result<appointment>> out;
  const auto& id = req.appointment_id;
  transact_with_events(store_, bus_, [&](store_tx& tx, std::vector<event>& events) {
    const auto now = clock_.now();
    const auto slot = tx.read_lock(id);
    auto current = tx.find_appointment(id);
    if (auto e = missing(current, slot.has_value())) {
      out = std::move(*e);
      return step::rollback;
    }
    if (!holds(*slot, req.fencing_token, req.caller, now)) {
      out = make_error(errc::lock_not_held,
                       "You no longer hold the lock, so this save was not applied. Your changes are kept.");
      return step::rollback;
    }
    auto fields = validate(req.input);
    if (!fields) {
      out = std::move(fields.err());
      return step::rollback;
    }
    if (current->version != req.based_on_version) {
      auto e = make_error(errc::version_conflict,
                          "Someone saved this appointment after you opened it. Your changes are kept.");
      e.current = std::make_shared<const appointment>(std::move(*current));
      out = std::move(e);
      return step::rollback;
    }
    appointment next = *current;
    next.fields = std::move(*fields);
    next.version = current->version + 1;
    next.updated_at = now;
    next.updated_by = ref_of(req.caller);
    const auto touched = tx.touch_lock(id, *req.fencing_token, now, now + lock_ttl_);
    if (!touched || !tx.update_appointment(next, current->version)) return step::retry;  // lost a race
    tx.append_history(
        {next.id, next.version, next.updated_at, next.updated_by, changes_between(&current->fields, next.fields)});
    events = saved_events(next, *touched);
    out = std::move(next);
    return step::commit;
  });
  return std::move(*out);
}

}  // namespace slotlock
