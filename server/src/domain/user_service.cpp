#include "domain/user_service.hpp"

#include <algorithm>
#include <cctype>

#include "domain/crypto.hpp"
#include "domain/events.hpp"
#include "domain/ids.hpp"
#include "domain/store.hpp"
#include "domain/text.hpp"

namespace slotlock {

namespace {

constexpr std::size_t min_password = 10;
constexpr std::size_t max_password = 256;
constexpr std::size_t max_name = 100;
constexpr std::size_t max_email = 254;

// Names come from JSON (always UTF-8) or from argv (anything at all).
void check_name(const std::string& name, std::vector<field_error>& out) {
  if (!valid_utf8(name))
    out.push_back({"name", "must be valid UTF-8 text"});
  else if (blank(name))
    out.push_back({"name", "is required"});
  else if (has_control_characters(name))
    out.push_back({"name", "must not contain control characters"});
  else if (characters(name) > max_name)
    out.push_back({"name", "must be at most 100 characters"});
}

// `min` is min_password except for the published demo accounts.
void check_password(const std::string& pw, std::vector<field_error>& out, std::size_t min = min_password) {
  if (!valid_utf8(pw))
    out.push_back({"password", "must be valid UTF-8 text"});
  else if (has_control_characters(pw))
    out.push_back({"password", "must not contain control characters"});
  else if (characters(pw) < min)
    out.push_back({"password", "must be at least 10 characters"});
  else if (characters(pw) > max_password)
    out.push_back({"password", "must be at most 256 characters"});
  else if (only_white_space(pw))
    out.push_back({"password", "must not be only spaces"});
}

bool active_admin(const user& u) { return u.role == role::admin && !u.disabled; }

std::optional<role> check_role(const std::string& r, std::vector<field_error>& out) {
  auto parsed = parse_role(r);
  if (!parsed) out.push_back({"role", "must be user or admin"});
  return parsed;
}

error invalid(std::vector<field_error> fields) {
  auto e = make_error(errc::validation_failed, "Some fields need attention.");
  e.fields = std::move(fields);
  return e;
}

}  // namespace

bool looks_like_email(std::string_view s) {
  if (s.size() < 3 || s.size() > max_email) return false;
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at != s.rfind('@')) return false;
  const auto domain = s.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' || domain.find('.') == std::string_view::npos)
    return false;
  return valid_utf8(s) && !has_control_characters(s) &&
         std::none_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

result<user> user_service::add(const new_user& input) { return add_checked(input, min_password); }

result<user> user_service::add_demo(const new_user& input) {
  // "bob-demo" is published in PRODUCT.md, the README and the browser tests: the one rule it
  // may break is the length, and only here.
  return add_checked(input, 1);
}

result<user> user_service::add_checked(const new_user& input, std::size_t min_password_length) {
  std::vector<field_error> fields;
  if (!looks_like_email(input.email)) fields.push_back({"email", "must be an e-mail address"});
  check_name(input.name, fields);
  const auto r = check_role(input.role, fields);
  check_password(input.password, fields, min_password_length);
  if (!fields.empty()) return invalid(std::move(fields));

  user u;
  u.id = new_id();
  u.email = input.email;
  std::transform(u.email.begin(), u.email.end(), u.email.begin(), [](unsigned char c) { return std::tolower(c); });
  u.name = input.name;
  u.role = *r;
  u.password_hash = hash_password(input.password);
  u.created_at = clock_.now();
  if (!store_.create_user(u)) return make_error(errc::conflict, "A user with this e-mail already exists.");
  return u;
}

std::vector<user> user_service::list() { return store_.list_users(); }

std::size_t user_service::active_admins() {
  const auto all = store_.list_users();
  return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), active_admin));
}

result<user> user_service::change(const std::string& id, const user_changes& changes) {
  auto found = store_.find_user(id);
  if (!found) return make_error(errc::not_found, "No such user.");
  std::vector<field_error> fields;
  if (changes.name) check_name(*changes.name, fields);
  std::optional<role> r;
  if (changes.role) r = check_role(*changes.role, fields);
  if (changes.password) check_password(*changes.password, fields);
  if (!fields.empty()) return invalid(std::move(fields));

  const bool was_active_admin = active_admin(*found);
  user u = std::move(*found);
  if (changes.name) u.name = *changes.name;
  if (r) u.role = *r;
  if (changes.disabled) u.disabled = *changes.disabled;
  if (changes.password) u.password_hash = hash_password(*changes.password);
  // Counting and saving under one lock: two admins demoting each other at once cannot both
  // pass. (Between processes on PostgreSQL that race stays open; it needs two admins acting
  // within the same milliseconds.)
  std::unique_lock last_admin_guard(admins_mutex_);
  if (was_active_admin && !active_admin(u) && active_admins() <= 1)
    return make_error(errc::conflict,
                      "This is the last active admin: make someone else an admin before demoting or disabling "
                      "this account.");
  if (!store_.save_user(u)) return make_error(errc::not_found, "No such user.");
  if (u.disabled || changes.password) {
    store_.delete_auth_sessions_of(u.id);
    bus_.publish(session_ended{u.id, ""});
  } else {
    bus_.publish(user_changed{u.id});  // a new name or role: signed-in sessions read it afresh
  }
  return u;
}

result<user> user_service::find_by_email(const std::string& email) {
  auto found = store_.find_user_by_email(email);
  if (!found) return make_error(errc::not_found, "No user with the e-mail " + email + ".");
  return std::move(*found);
}

}  // namespace slotlock
