#pragma once
// Managing who can sign in: used by `slotlock user ...` and /api/users.

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/time.hpp"
#include "domain/user.hpp"

namespace slotlock {

class store;
class event_bus;

struct new_user {
  std::string email;
  std::string name;
  std::string role = "user";
  std::string password;
};

struct user_changes {
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<bool> disabled;
  std::optional<std::string> password;
};

class user_service {
 public:
  // Ended sign-ins are published on `bus` (session_ended): their sockets close.
  user_service(store& s, const clock& c, event_bus& bus) : store_(s), clock_(c), bus_(bus) {}

  // Errors: validation_failed, conflict (e-mail taken). Passwords: 10–256 characters, not
  // only white space, no control characters; names: UTF-8 without control characters.
  result<user> add(const new_user& input);
  // add() for the demo accounts of --demo, whose published passwords may be shorter.
  result<user> add_demo(const new_user& input);
  std::vector<user> list();
  // Errors: not_found, validation_failed, conflict (the last active admin would be demoted or
  // disabled). Disabling, or a new password, ends the user's sign-ins, their unused tickets and
  // their sockets.
  result<user> change(const std::string& id, const user_changes& changes);
  result<user> find_by_email(const std::string& email);

 private:
  result<user> add_checked(const new_user& input, std::size_t min_password_length);
  std::size_t active_admins();

  store& store_;
  const clock& clock_;
  event_bus& bus_;
  std::mutex admins_mutex_;
};

// Shared by users and appointments: a plausible address, not RFC 5322.
bool looks_like_email(std::string_view s);

}  // namespace slotlock
