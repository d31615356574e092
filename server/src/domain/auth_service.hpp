#pragma once
// Sign-in: passwords checked against argon2id hashes, random bearer tokens of
// which only the hash is stored, login attempts rate-limited.

#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/rate_limiter.hpp"
#include "domain/time.hpp"
#include "domain/user.hpp"

namespace slotlock {

class store;

struct sign_in {
  std::string token;
  user who;
  time_point expires_at{};
};

struct ws_ticket {
  std::string ticket;
  time_point expires_at{};
};

class auth_service {
 public:
  auth_service(store& s, const clock& c, seconds token_ttl);

  // Errors: invalid_credentials, rate_limited. Limits: attempts per client address (60, then
  // 2 a second), and failures per account and address (5, then one every 12 s).
  result<sign_in> login(std::string_view email, std::string_view password, const std::string& client_address);
  void logout(std::string_view token);
  // Errors: unauthenticated.
  result<user> authenticate(std::string_view token);

  // A single-use ticket for a WebSocket upgrade, valid 30 seconds.
  ws_ticket issue_ws_ticket(const user& who);
  // Errors: unauthenticated (unknown, used, expired, or its user disabled).
  result<user> redeem_ws_ticket(std::string_view ticket);

 private:
  store& store_;
  const clock& clock_;
  seconds token_ttl_;
  rate_limiter failures_by_account_;  // keyed by e-mail and client address
  rate_limiter attempts_by_address_;
};

}  // namespace slotlock
