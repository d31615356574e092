#include "domain/appointment_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "domain/lock_service.hpp"
#include "fixture.hpp"

namespace slotlock::unit {
namespace {

using namespace std::chrono_literals;

constexpr seconds ttl{300};

appointment_input valid_input() {
  appointment_input in;
  in.title = "Check-up";
  in.client_name = "Sam Client";
  in.client_email = "sam@example.com";
  in.starts_at = "2027-02-01T09:00:00.000Z";
  in.ends_at = "2027-02-01T09:30:00.000Z";
  in.location = "Room 2";
  in.notes = "Bring X-rays";
  in.status = "confirmed";
  return in;
}

// The fields named in a validation error, in order.
std::vector<std::string> fields_of(const result<appointment_fields>& r) {
  std::vector<std::string> names;
  if (!r.has_value())
    for (const auto& f : r.err().fields) names.push_back(f.field);
  return names;
}

bool names_field(const result<appointment_fields>& r, const std::string& field) {
  const auto names = fields_of(r);
  return std::find(names.begin(), names.end(), field) != names.end();
}

// ---- validate --------------------------------------------------------------

TEST(appointment_validate, accepts_a_valid_input_and_converts_it) {
  const auto r = validate(valid_input());
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->title, "Check-up");
  EXPECT_EQ(r->client_name, "Sam Client");
  EXPECT_EQ(r->client_email, "sam@example.com");
  EXPECT_EQ(format_iso(r->starts_at), "2027-02-01T09:00:00.000Z");
  EXPECT_EQ(format_iso(r->ends_at), "2027-02-01T09:30:00.000Z");
  EXPECT_EQ(r->location, "Room 2");
  EXPECT_EQ(r->notes, "Bring X-rays");
  EXPECT_EQ(r->status, appointment_status::confirmed);
}

TEST(appointment_validate, title_is_required_and_bounded) {
  auto in = valid_input();
  in.title = "";
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"title"});
  in.title = "  \t ";
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"title"});
  in.title = std::string(201, 't');
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"title"});
  EXPECT_EQ(validate(in).err().code, errc::validation_failed);
  in.title = std::string(200, 't');
  EXPECT_TRUE(succeeded(validate(in)));
}

// The limit is stated to the user in characters ("at most 200 characters"):
// a title in a non-Latin script within that limit must be accepted.
TEST(appointment_validate, length_limits_count_characters_not_bytes) {
  auto in = valid_input();
  std::string title;
  for (int i = 0; i < 150; ++i) title += "\u00e9";  // 150 characters, 300 bytes of UTF-8
  in.title = title;
  in.client_name = title;
  EXPECT_TRUE(succeeded(validate(in))) << "fields: " << ::testing::PrintToString(fields_of(validate(in)));
}

TEST(appointment_validate, client_name_is_required_and_bounded) {
  auto in = valid_input();
  in.client_name = "";
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"clientName"});
  in.client_name = " ";
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"clientName"});
  in.client_name = std::string(201, 'n');
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"clientName"});
  in.client_name = std::string(200, 'n');
  EXPECT_TRUE(succeeded(validate(in)));
}

TEST(appointment_validate, client_email_must_look_like_an_address) {
  for (const char* bad : {"", "sam", "sam@", "@example.com", "sam@example", "sam@@example.com", "sam @example.com",
                          "sam@example.com.", "sam@.example.com"}) {
    auto in = valid_input();
    in.client_email = bad;
    EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"clientEmail"}) << "'" << bad << "'";
  }
}

TEST(appointment_validate, location_and_notes_are_bounded) {
  auto in = valid_input();
  in.location = std::string(201, 'l');
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"location"});
  in = valid_input();
  in.notes = std::string(5001, 'n');
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"notes"});
  in.notes = std::string(5000, 'n');
  in.location = "";
  EXPECT_TRUE(succeeded(validate(in)));  // both optional
}

TEST(appointment_validate, starts_and_ends_must_parse) {
  auto in = valid_input();
  in.starts_at = "tomorrow";
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"startsAt"});
  in = valid_input();
  in.starts_at = "2027-02-01T09:00:00";  // no zone
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"startsAt"});
  in = valid_input();
  in.ends_at = "2027-02-30T09:30:00Z";
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"endsAt"});
  in = valid_input();
  in.starts_at = "";
  in.ends_at = "";
  EXPECT_EQ(fields_of(validate(in)), (std::vector<std::string>{"startsAt", "endsAt"}));
}

TEST(appointment_validate, ends_must_come_after_starts) {
  auto in = valid_input();
  in.ends_at = in.starts_at;
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"endsAt"});
  in.ends_at = "2027-02-01T08:59:59.999Z";
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"endsAt"});
  // The same instant written in another zone is still not after.
  in.ends_at = "2027-02-01T10:00:00+01:00";
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"endsAt"});
  in.ends_at = "2027-02-01T09:00:00.001Z";
  EXPECT_TRUE(succeeded(validate(in)));
}

TEST(appointment_validate, an_appointment_lasts_at_most_24_hours) {
  auto in = valid_input();
  in.ends_at = "2027-02-02T09:00:00.000Z";
  EXPECT_TRUE(succeeded(validate(in)));
  in.ends_at = "2027-02-02T09:00:00.001Z";
  EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"endsAt"});
}

TEST(appointment_validate, status_must_be_a_known_one) {
  for (const char* ok : {"scheduled", "confirmed", "cancelled"}) {
    auto in = valid_input();
    in.status = ok;
    EXPECT_TRUE(succeeded(validate(in))) << ok;
  }
  for (const char* bad : {"", "done", "Scheduled", "canceled"}) {
    auto in = valid_input();
    in.status = bad;
    EXPECT_EQ(fields_of(validate(in)), std::vector<std::string>{"status"}) << "'" << bad << "'";
  }
}

TEST(appointment_validate, reports_every_bad_field_at_once) {
  appointment_input in;
  in.status = "nope";
  const auto r = validate(in);
  ASSERT_TRUE(fails_with(r, errc::validation_failed));
  for (const char* f : {"title", "clientName", "clientEmail", "startsAt", "endsAt", "status"})
    EXPECT_TRUE(names_field(r, f)) << f;
  for (const auto& f : r.err().fields) EXPECT_FALSE(f.message.empty()) << f.field;
}

// ---- save ------------------------------------------------------------------

class appointment_service_test : public domain_test {
 protected:
  appointment_service_test() {
    alice_ = add_user("alice");
    bob_ = add_user("bob");
    carol_ = add_user("carol", role::admin);
    appt_ = add_appointment();
    lock_settings s;
    s.ttl = ttl;
    s.attempts_per_second = 1e6;
    locks_ = std::make_unique<lock_service>(*store_, clock_, bus_, s);
    appointments_ = std::make_unique<appointment_service>(*store_, clock_, bus_, ttl);
  }

  std::int64_t lock(const user& u, const std::string& session, bool takeover = false) {
    const auto r = locks_->acquire({appt_, u, session, takeover, false});
    EXPECT_TRUE(succeeded(r));
    return r.has_value() && r->lock ? r->lock->fencing_token : -1;
  }

  result<appointment> save(const user& u, std::optional<std::int64_t> token, std::int64_t version,
                           appointment_input in = valid_input()) {
    save_request req;
    req.appointment_id = appt_;
    req.input = std::move(in);
    req.based_on_version = version;
    req.fencing_token = token;
    req.caller = u;
    return appointments_->save(req);
  }

  std::int64_t stored_version() { return store_->find_appointment(appt_)->version; }

  user alice_, bob_, carol_;
  std::string appt_;
  std::unique_ptr<lock_service> locks_;
  std::unique_ptr<appointment_service> appointments_;
};

TEST_F(appointment_service_test, save_by_the_holder_bumps_the_version_and_extends_the_lock) {
  const auto token = lock(alice_, "tab-a");
  ASSERT_EQ(token, 1);
  clock_.advance(100s);
  events_.clear();

  const auto r = save(alice_, token, 1);
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->id, appt_);
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(r->updated_by.id, alice_.id);
  EXPECT_EQ(r->updated_by.name, "alice");
  EXPECT_EQ(to_millis(r->updated_at), to_millis(t0 + 100s));
  EXPECT_EQ(r->fields.title, "Check-up");
  EXPECT_EQ(r->fields.status, appointment_status::confirmed);

  const auto stored = store_->find_appointment(appt_);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->version, 2);
  EXPECT_EQ(stored->fields.title, "Check-up");
  EXPECT_EQ(stored->fields.notes, "Bring X-rays");
  EXPECT_EQ(stored->updated_by.id, alice_.id);

  // A save is activity: the lock now runs from the save.
  const auto held = locks_->status(appt_);
  ASSERT_TRUE(succeeded(held));
  ASSERT_TRUE(*held);
  EXPECT_EQ((*held)->fencing_token, 1);
  EXPECT_EQ(to_millis((*held)->expires_at), to_millis(t0 + 100s + ttl));
  EXPECT_EQ(to_millis((*held)->last_activity_at), to_millis(t0 + 100s));

  const auto updates = events_.appointment_updates();
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].appointment_id, appt_);
  EXPECT_EQ(updates[0].version, 2);
  EXPECT_EQ(updates[0].updated_by.id, alice_.id);

  // Still held past the original expiry thanks to the save.
  clock_.advance(ttl - 1s);
  locks_->expire_due();
  ASSERT_TRUE(*locks_->status(appt_));

  // And the next save builds on version 2.
  const auto second = save(alice_, token, 2);
  ASSERT_TRUE(succeeded(second));
  EXPECT_EQ(second->version, 3);
}

TEST_F(appointment_service_test, save_without_a_token_is_lock_not_held) {
  lock(alice_, "tab-a");
  EXPECT_TRUE(fails_with(save(alice_, std::nullopt, 1), errc::lock_not_held));
  EXPECT_EQ(stored_version(), 1);
  EXPECT_TRUE(events_.appointment_updates().empty());
}

TEST_F(appointment_service_test, save_when_nobody_holds_the_lock_is_lock_not_held) {
  EXPECT_TRUE(fails_with(save(alice_, 0, 1), errc::lock_not_held));
  EXPECT_TRUE(fails_with(save(alice_, 1, 1), errc::lock_not_held));
  EXPECT_EQ(stored_version(), 1);
}

TEST_F(appointment_service_test, the_holders_token_in_someone_elses_hands_is_lock_not_held) {
  const auto token = lock(alice_, "tab-a");
  // Everyone watching sees the token; it proves nothing on its own.
  EXPECT_TRUE(fails_with(save(bob_, token, 1), errc::lock_not_held));
  EXPECT_TRUE(fails_with(save(carol_, token, 1), errc::lock_not_held));
  EXPECT_EQ(stored_version(), 1);
  EXPECT_TRUE(events_.appointment_updates().empty());
}

TEST_F(appointment_service_test, a_wrong_token_of_the_holder_is_lock_not_held) {
  const auto token = lock(alice_, "tab-a");
  EXPECT_TRUE(fails_with(save(alice_, token + 1, 1), errc::lock_not_held));
  EXPECT_TRUE(fails_with(save(alice_, token - 1, 1), errc::lock_not_held));
  EXPECT_EQ(stored_version(), 1);
}

TEST_F(appointment_service_test, a_stale_token_after_a_takeover_is_lock_not_held) {
  const auto old_token = lock(alice_, "tab-a");
  const auto new_token = lock(carol_, "tab-c", true);
  ASSERT_GT(new_token, old_token);
  EXPECT_TRUE(fails_with(save(alice_, old_token, 1), errc::lock_not_held));
  // The new holder with the old number is refused too.
  EXPECT_TRUE(fails_with(save(carol_, old_token, 1), errc::lock_not_held));
  EXPECT_EQ(stored_version(), 1);
  EXPECT_TRUE(succeeded(save(carol_, new_token, 1)));
}

TEST_F(appointment_service_test, a_token_of_an_expired_lock_is_lock_not_held) {
  const auto token = lock(alice_, "tab-a");
  clock_.advance(ttl);
  EXPECT_TRUE(fails_with(save(alice_, token, 1), errc::lock_not_held));
  EXPECT_EQ(stored_version(), 1);
}

TEST_F(appointment_service_test, a_token_from_before_a_release_and_regrant_is_lock_not_held) {
  const auto first = lock(alice_, "tab-a");
  ASSERT_TRUE(*locks_->release({appt_, alice_, false}));
  const auto second = lock(alice_, "tab-a");
  ASSERT_EQ(second, first + 1);
  EXPECT_TRUE(fails_with(save(alice_, first, 1), errc::lock_not_held));
  EXPECT_TRUE(succeeded(save(alice_, second, 1)));
}

TEST_F(appointment_service_test, the_right_token_with_an_old_version_is_version_conflict_with_the_current_one) {
  const auto token = lock(alice_, "tab-a");
  auto changed = valid_input();
  changed.title = "First edit";
  ASSERT_TRUE(succeeded(save(alice_, token, 1, changed)));
  events_.clear();

  auto other = valid_input();
  other.title = "Based on version 1";
  const auto r = save(alice_, token, 1, other);
  ASSERT_TRUE(fails_with(r, errc::version_conflict));
  ASSERT_TRUE(r.err().current);
  EXPECT_EQ(r.err().current->id, appt_);
  EXPECT_EQ(r.err().current->version, 2);
  EXPECT_EQ(r.err().current->fields.title, "First edit");
  EXPECT_EQ(store_->find_appointment(appt_)->fields.title, "First edit");
  EXPECT_TRUE(events_.appointment_updates().empty());
  // A version from the future is no better.
  EXPECT_TRUE(fails_with(save(alice_, token, 3, other), errc::version_conflict));
}

TEST_F(appointment_service_test, the_token_is_checked_before_the_version) {
  const auto token = lock(alice_, "tab-a");
  ASSERT_TRUE(succeeded(save(alice_, token, 1)));
  // Both wrong: the lock error wins.
  EXPECT_TRUE(fails_with(save(alice_, token + 1, 1), errc::lock_not_held));
  EXPECT_TRUE(fails_with(save(bob_, token, 1), errc::lock_not_held));
  EXPECT_TRUE(fails_with(save(alice_, std::nullopt, 1), errc::lock_not_held));
  EXPECT_EQ(stored_version(), 2);
}

TEST_F(appointment_service_test, invalid_fields_are_reported_and_nothing_is_saved) {
  const auto token = lock(alice_, "tab-a");
  auto in = valid_input();
  in.title = "";
  const auto r = save(alice_, token, 1, in);
  ASSERT_TRUE(fails_with(r, errc::validation_failed));
  ASSERT_EQ(r.err().fields.size(), 1u);
  EXPECT_EQ(r.err().fields[0].field, "title");
  EXPECT_EQ(stored_version(), 1);
  EXPECT_TRUE(events_.appointment_updates().empty());
}

TEST_F(appointment_service_test, save_of_an_unknown_appointment_is_not_found) {
  save_request req;
  req.appointment_id = "no-such";
  req.input = valid_input();
  req.based_on_version = 1;
  req.fencing_token = 1;
  req.caller = alice_;
  EXPECT_TRUE(fails_with(appointments_->save(req), errc::not_found));
}

TEST_F(appointment_service_test, create_validates_and_starts_at_version_1) {
  auto bad = valid_input();
  bad.client_email = "nope";
  EXPECT_TRUE(fails_with(appointments_->create(bad, alice_), errc::validation_failed));

  const auto r = appointments_->create(valid_input(), alice_);
  ASSERT_TRUE(succeeded(r));
  EXPECT_FALSE(r->id.empty());
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->updated_by.id, alice_.id);
  const auto got = appointments_->get(r->id);
  ASSERT_TRUE(succeeded(got));
  EXPECT_EQ(got->fields.title, "Check-up");
  // Its lock slot exists and is free.
  const auto st = locks_->status(r->id);
  ASSERT_TRUE(succeeded(st));
  EXPECT_FALSE(*st);
  EXPECT_TRUE(fails_with(appointments_->get("no-such"), errc::not_found));
  EXPECT_EQ(appointments_->list({.from = t0}).items.size(), 2u);

  // Every list hears of it, and its history starts with every field.
  const auto created = events_.all<appointment_created>();
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].created.id, r->id);
  const auto h = appointments_->history(r->id);
  ASSERT_TRUE(succeeded(h));
  ASSERT_EQ(h->size(), 1u);
  EXPECT_EQ((*h)[0].version, 1);
  EXPECT_EQ((*h)[0].by.id, alice_.id);
  EXPECT_EQ((*h)[0].changes.size(), 8u);
}

TEST_F(appointment_service_test, each_save_adds_a_history_entry_with_only_what_changed) {
  const auto token = lock(alice_, "tab-a");
  ASSERT_TRUE(succeeded(save(alice_, token, 1)));
  auto in = valid_input();
  in.starts_at = "2027-02-01T10:00:00.000Z";
  in.ends_at = "2027-02-01T10:30:00.000Z";
  clock_.advance(5s);
  ASSERT_TRUE(succeeded(save(alice_, token, 2, in)));

  const auto h = appointments_->history(appt_);
  ASSERT_TRUE(succeeded(h));
  ASSERT_EQ(h->size(), 3u);  // creation, then two saves
  const auto& latest = (*h)[0];
  EXPECT_EQ(latest.version, 3);
  EXPECT_EQ(latest.at, t0 + 5s);
  EXPECT_EQ(latest.by.name, "alice");
  ASSERT_EQ(latest.changes.size(), 2u);
  EXPECT_EQ(latest.changes[0].field, "startsAt");
  EXPECT_EQ(latest.changes[0].from, "2027-02-01T09:00:00.000Z");
  EXPECT_EQ(latest.changes[0].to, "2027-02-01T10:00:00.000Z");
  EXPECT_EQ(latest.changes[1].field, "endsAt");
  EXPECT_EQ((*h)[1].version, 2);
  EXPECT_TRUE(fails_with(appointments_->history("no-such"), errc::not_found));
}

TEST_F(appointment_service_test, only_the_holder_deletes_and_the_appointment_becomes_a_tombstone) {
  const auto token = lock(alice_, "tab-a");
  const auto remove = [&](const user& u, std::optional<std::int64_t> t) {
    return appointments_->remove({appt_, t, u});
  };
  EXPECT_TRUE(fails_with(remove(bob_, token), errc::lock_not_held));  // a token is not proof
  EXPECT_TRUE(fails_with(remove(alice_, std::nullopt), errc::lock_not_held));
  EXPECT_TRUE(fails_with(remove(alice_, token + 1), errc::lock_not_held));
  EXPECT_TRUE(fails_with(remove(carol_, token), errc::lock_not_held));  // admins too take the lock first
  events_.clear();

  ASSERT_TRUE(succeeded(remove(alice_, token)));
  const auto deleted = events_.all<appointment_deleted>();
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0].by.id, alice_.id);

  const auto gone = appointments_->get(appt_);
  ASSERT_TRUE(fails_with(gone, errc::not_found));
  EXPECT_EQ(gone.err().message, "This appointment was deleted.");
  EXPECT_TRUE(fails_with(locks_->status(appt_), errc::not_found));
  EXPECT_TRUE(fails_with(locks_->acquire({appt_, bob_, "tab-b", false, false}), errc::not_found));
  EXPECT_TRUE(fails_with(save(alice_, token, 1), errc::not_found));
  EXPECT_TRUE(fails_with(remove(alice_, token), errc::not_found));
  EXPECT_TRUE(appointments_->list({.from = t0}).items.empty());
  EXPECT_TRUE(succeeded(appointments_->history(appt_)));
  const auto audit = audit_of(appt_);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, audit_action::deleted);
  EXPECT_EQ(audit.back().actor->id, alice_.id);
}

TEST_F(appointment_service_test, pages_follow_start_then_id_and_stay_stable_when_others_are_added) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) {
    auto in = valid_input();
    in.starts_at = format_iso(t0 + std::chrono::hours(48 + i));
    in.ends_at = format_iso(t0 + std::chrono::hours(48 + i) + 30min);
    created.push_back(appointments_->create(in, alice_)->id);
  }
  const auto first = appointments_->list({.from = t0 + 48h, .limit = 2});
  ASSERT_EQ(first.items.size(), 2u);
  ASSERT_TRUE(first.next);
  EXPECT_EQ(first.items[1].id, created[1]);

  // Someone adds one before the page's end and one after it, while the first page is read.
  auto earlier = valid_input();
  earlier.starts_at = format_iso(t0 + 48h + 10min);
  earlier.ends_at = format_iso(t0 + 48h + 20min);
  ASSERT_TRUE(succeeded(appointments_->create(earlier, bob_)));
  auto later = valid_input();
  later.starts_at = format_iso(t0 + 60h);
  later.ends_at = format_iso(t0 + 61h);
  const auto later_id = appointments_->create(later, bob_)->id;

  std::vector<std::string> rest;
  std::optional<list_position> after = first.next;
  while (after) {
    const auto page = appointments_->list({.from = t0 + 48h, .after = after, .limit = 2});
    for (const auto& a : page.items) rest.push_back(a.id);
    after = page.next;
  }
  // Nothing repeated, nothing skipped: the one before the cursor is simply not on later pages.
  EXPECT_EQ(rest, (std::vector<std::string>{created[2], created[3], created[4], later_id}));
}

TEST_F(appointment_service_test, conflicts_are_found_for_a_saved_appointment_but_not_itself) {
  const auto a = appointments_->create(valid_input(), alice_);
  ASSERT_TRUE(succeeded(a));
  auto overlapping = valid_input();
  overlapping.starts_at = "2027-02-01T09:15:00.000Z";
  overlapping.ends_at = "2027-02-01T09:45:00.000Z";
  overlapping.location = "room 2";
  const auto b = appointments_->create(overlapping, bob_);
  ASSERT_TRUE(succeeded(b));
  const auto conflicts = appointments_->conflicts_with(*b);
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].id, a->id);
  EXPECT_TRUE(appointments_->conflicts({"", t0, t0 + 1h, ""}).empty());  // no place, no double booking
  auto cancelled = *b;
  cancelled.fields.status = appointment_status::cancelled;
  EXPECT_TRUE(appointments_->conflicts_with(cancelled).empty());
}

}  // namespace
}  // namespace slotlock::unit
