#include "domain/user_service.hpp"

#include <algorithm>
#include <cctype>

#include "domain/crypto.hpp"
#include "domain/events.hpp"
#include "domain/ids.hpp"
#include "domain/text.hpp"
#include "store/store.hpp"

namespace slotlock {

namespace {

constexpr std::size_t min_password = 8;
constexpr std::size_t max_password = 256;
constexpr std::size_t max_name = 100;
constexpr std::size_t max_email = 254;

void check_name(const std::string& name, std::vector<field_error>& out) {
  if (blank(name)) out.push_back({"name", "is required"});
  else if (characters(name) > max_name) out.push_back({"name", "must be at most 100 characters"});
}

void check_password(const std::string& pw, std::vector<field_error>& out) {
  if (characters(pw) < min_password) out.push_back({"password", "must be at least 8 characters"});
  else if (characters(pw) > max_password) out.push_back({"password", "must be at most 256 characters"});
}

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
  return std::none_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); });
}

result<user> user_service::add(const new_user& input) {
  std::vector<field_error> fields;
  if (!looks_like_email(input.email)) fields.push_back({"email", "must be an e-mail address"});
  check_name(input.name, fields);
  const auto r = check_role(input.role, fields);
  check_password(input.password, fields);
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

result<user> user_service::change(const std::string& id, const user_changes& changes) {
  auto found = store_.find_user(id);
  if (!found) return make_error(errc::not_found, "No such user.");
  std::vector<field_error> fields;
  if (changes.name) check_name(*changes.name, fields);
  std::optional<role> r;
  if (changes.role) r = check_role(*changes.role, fields);
  if (changes.password) check_password(*changes.password, fields);
  if (!fields.empty()) return invalid(std::move(fields));

  user u = std::move(*found);
  if (changes.name) u.name = *changes.name;
  if (r) u.role = *r;
  if (changes.disabled) u.disabled = *changes.disabled;
  if (changes.password) u.password_hash = hash_password(*changes.password);
  if (!store_.save_user(u)) return make_error(errc::not_found, "No such user.");
  if (u.disabled || changes.password) {
    store_.delete_auth_sessions_of(u.id);
    bus_.publish(session_ended{u.id, ""});
  }
  return u;
}

result<user> user_service::find_by_email(const std::string& email) {
  auto found = store_.find_user_by_email(email);
  if (!found) return make_error(errc::not_found, "No user with the e-mail " + email + ".");
  return std::move(*found);
}

}  // namespace slotlock
