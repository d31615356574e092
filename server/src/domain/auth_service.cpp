#include "domain/auth_service.hpp"

#include <algorithm>
#include <cctype>

#include "domain/crypto.hpp"
#include "domain/events.hpp"
#include "domain/store.hpp"

namespace slotlock {

namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Verifying against a real hash when the e-mail is unknown keeps the answer
// time the same, so timing does not reveal which e-mails have accounts.
const std::string& decoy_hash() {
  static const std::string h = hash_password("slotlock-decoy-password");
  return h;
}

constexpr auto ws_ticket_lifetime = std::chrono::seconds(30);

error too_many(int retry_after) {
  auto e = make_error(errc::rate_limited, "Too many sign-in attempts. Try again in a moment.");
  e.retry_after_seconds = retry_after;
  return e;
}

}  // namespace

auth_service::auth_service(store& s, const clock& c, event_bus& bus, seconds token_ttl)
    : store_(s),
      clock_(c),
      bus_(bus),
      token_ttl_(token_ttl),
      // A person mistyping a password a few times never meets these; a script guessing does.
      failures_by_account_(c, {.burst = 5, .per_second = 1.0 / 12}),
      attempts_by_address_(c, {.burst = 60, .per_second = 2}) {
  bus_.subscribe([sessions = std::weak_ptr(sessions_)](const event& e) {
    if (auto s = sessions.lock()) s->apply(e);
  });
  bus_.on_resync([sessions = std::weak_ptr(sessions_)] {
    if (auto s = sessions.lock()) s->clear();
  });
}

result<ok_t> auth_service::admit(const std::string& client_address) {
  if (const int wait = attempts_by_address_.take(client_address)) return too_many(wait);
  return ok;
}

result<sign_in> auth_service::login(std::string_view email, std::string_view password,
                                    const std::string& client_address) {
  const auto email_key = lowercase(email);
  // Failures count per account *and* address: someone guessing from elsewhere slows only
  // themselves, never the account's owner. An e-mail longer than any account's is cut: the
  // key stays small whatever the body holds. The address comes last and has no newline.
  const auto failure_key = email_key.substr(0, 256) + '\n' + client_address;
  // The token is taken before the password is checked, so that parallel wrong guesses cannot
  // all pass the check before any of them is counted; a right password gives it back.
  if (const int wait = failures_by_account_.take(failure_key)) return too_many(wait);

  const auto found = store_.find_user_by_email(email_key);
  const bool password_ok = verify_password(found ? found->password_hash : decoy_hash(), password);
  if (!found || !password_ok || found->disabled)
    return make_error(errc::invalid_credentials, "The e-mail or password is not right.");
  failures_by_account_.give_back(failure_key);

  sign_in out;
  out.token = random_token();
  out.who = *found;
  const auto now = clock_.now();
  out.expires_at = now + token_ttl_;
  const auto hash = token_hash(out.token);
  const auto since = sessions_->generation();
  store_.create_auth_session({hash, found->id, now, out.expires_at});
  if (bus_.delivering())
    sessions_->keep(hash, {*found, out.expires_at}, since, now);  // the first request is served from memory
  return out;
}

void auth_service::logout(std::string_view token) {
  const auto hash = token_hash(token);
  const auto who = store_.find_session_user(hash, clock_.now());
  store_.delete_auth_session(hash);  // its unused tickets go with it
  if (!who) return;
  const session_ended ended{who->who.id, hash};
  sessions_->apply(ended);  // at once here; other processes when the event reaches them
  bus_.publish(ended);
}

namespace {

error signed_out() { return make_error(errc::unauthenticated, "Your session has ended. Sign in again."); }

}  // namespace

std::optional<result<user>> auth_service::authenticate_from_memory(std::string_view token) const {
  if (token.empty()) return result<user>(make_error(errc::unauthenticated, "Sign in first."));
  if (!bus_.delivering()) return std::nullopt;
  // Disabled users are never remembered (see authenticate).
  if (auto who = sessions_->find(token_hash(token), clock_.now())) return result<user>(std::move(*who));
  return std::nullopt;
}

result<user> auth_service::authenticate(std::string_view token) {
  if (auto known = authenticate_from_memory(token)) return std::move(*known);
  const auto hash = token_hash(token);
  const auto since = sessions_->generation();
  const auto now = clock_.now();
  auto found = store_.find_session_user(hash, now);
  if (!found || found->who.disabled) return signed_out();
  if (bus_.delivering()) sessions_->keep(hash, *found, since, now);
  return std::move(found->who);
}

ws_ticket auth_service::issue_ws_ticket(const user& who, std::string_view token) {
  ws_ticket t{random_token(), clock_.now() + ws_ticket_lifetime};
  store_.create_ws_ticket(token_hash(t.ticket), who.id, token_hash(token), t.expires_at);
  return t;
}

result<ticket_owner> auth_service::redeem_ws_ticket(std::string_view ticket) {
  if (ticket.empty()) return make_error(errc::unauthenticated, "A WebSocket needs a ticket from POST /api/ws-tickets.");
  auto owner = store_.redeem_ws_ticket(token_hash(ticket), clock_.now());
  if (!owner || owner->who.disabled)
    return make_error(errc::unauthenticated, "This ticket is unknown, used or expired. Get a new one.");
  return std::move(*owner);
}

}  // namespace slotlock
