#pragma once
// Sign-in: passwords checked against argon2id hashes, random bearer tokens of
// which only the hash is stored, login attempts rate-limited.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/rate_limiter.hpp"
#include "domain/session_cache.hpp"
#include "domain/time.hpp"
#include "domain/user.hpp"

namespace slotlock {

class store;
class event_bus;

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
  // Ending a sign-in is published on `bus` (session_ended): its sockets close.
  auth_service(store& s, const clock& c, event_bus& bus, seconds token_ttl);

  // Counts a sign-in attempt from `client_address` (60, then 2 a second), in memory: the
  // caller asks before the attempt waits for the sign-in pool, so a flood from one address is
  // refused at once instead of filling the pool's line. Errors: rate_limited.
  result<ok_t> admit(const std::string& client_address);
  // An attempt admit() let through. Errors: invalid_credentials, rate_limited (failures per
  // account and address: 5, then one every 12 s).
  result<sign_in> login(std::string_view email, std::string_view password, const std::string& client_address);
  // Ends the sign-in of `token`, its unused WebSocket tickets and its sockets.
  void logout(std::string_view token);
  // From memory, on the caller's thread: the answer when the token's session is remembered
  // (or the token is empty), nullopt when only the store can tell. Errors: unauthenticated.
  std::optional<result<user>> authenticate_from_memory(std::string_view token) const;
  // From memory, else from the store (which blocks), remembering what it says. Errors:
  // unauthenticated.
  result<user> authenticate(std::string_view token);

  // A single-use ticket for a WebSocket upgrade, valid 30 seconds, for the
  // sign-in of `token` (signed in as `who`).
  ws_ticket issue_ws_ticket(const user& who, std::string_view token);
  // Errors: unauthenticated (unknown, used, expired, its sign-in ended, or
  // its user disabled).
  result<ticket_owner> redeem_ws_ticket(std::string_view ticket);

 private:
  store& store_;
  const clock& clock_;
  event_bus& bus_;
  seconds token_ttl_;
  // Shared with the bus's handlers, which outlive this service (a bus has no unsubscribe).
  std::shared_ptr<session_cache> sessions_ = std::make_shared<session_cache>();
  rate_limiter failures_by_account_;  // keyed by e-mail and client address
  rate_limiter attempts_by_address_;
};

}  // namespace slotlock
