#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"

namespace slotlock {

enum class role { user, admin };

std::string_view to_string(role r);
std::optional<role> parse_role(std::string_view s);

struct user {
  std::string id;
  std::string email;
  std::string name;
  enum role role = role::user;
  bool disabled = false;
  std::string password_hash;  // argon2id string from libsodium; never leaves the server
  time_point created_at{};
};

// The public identity of a person, as shown to others (lock holder, audit actor).
struct user_ref {
  std::string id;
  std::string name;
  std::string email;
};

inline user_ref ref_of(const user& u) { return {u.id, u.name, u.email}; }

// The user of a signed-in session, and when the session ends.
struct session_user {
  user who;
  time_point expires_at{};
};

// Who a WebSocket ticket was issued to: the user and their sign-in session
// (its token hash), whose end closes the sockets the ticket opened.
struct ticket_owner {
  user who;
  std::string auth_session;
};

}  // namespace slotlock
