#include "domain/auth_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "domain/crypto.hpp"
#include "domain/user_service.hpp"
#include "fixture.hpp"

namespace slotlock::unit {
namespace {

using namespace std::chrono_literals;

constexpr seconds token_ttl{3600};

class auth_service_test : public domain_test {
 protected:
  auth_service_test() : users_(*store_, clock_, bus_), auth_(*store_, clock_, bus_, token_ttl) {
    auto added = users_.add({"alice@example.com", "Alice", "user", "alice-password"});
    EXPECT_TRUE(succeeded(added));
    alice_ = *added;
  }

  result<sign_in> login(const std::string& email, const std::string& password,
                        const std::string& address = "10.0.0.1") {
    // As the route does: the address is admitted first, then the attempt runs.
    if (auto admitted = auth_.admit(address); !admitted) return admitted.err();
    return auth_.login(email, password, address);
  }

  user_service users_;
  auth_service auth_;
  user alice_;
};

TEST_F(auth_service_test, login_with_the_right_password_returns_a_token_and_the_user) {
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(r));
  EXPECT_FALSE(r->token.empty());
  EXPECT_EQ(r->who.id, alice_.id);
  EXPECT_EQ(r->who.email, "alice@example.com");
  EXPECT_EQ(to_millis(r->expires_at), to_millis(t0 + token_ttl));

  const auto me = auth_.authenticate(r->token);
  ASSERT_TRUE(succeeded(me));
  EXPECT_EQ(me->id, alice_.id);
}

TEST_F(auth_service_test, the_e_mail_is_matched_without_regard_to_case) {
  EXPECT_TRUE(succeeded(login("Alice@Example.COM", "alice-password")));
}

TEST_F(auth_service_test, each_login_gets_its_own_token) {
  const auto a = login("alice@example.com", "alice-password");
  const auto b = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(a));
  ASSERT_TRUE(succeeded(b));
  EXPECT_NE(a->token, b->token);
  // Logging one out leaves the other.
  auth_.logout(a->token);
  EXPECT_TRUE(fails_with(auth_.authenticate(a->token), errc::unauthenticated));
  EXPECT_TRUE(succeeded(auth_.authenticate(b->token)));
}

TEST_F(auth_service_test, wrong_password_or_unknown_e_mail_is_invalid_credentials) {
  EXPECT_TRUE(fails_with(login("alice@example.com", "wrong-password"), errc::invalid_credentials));
  EXPECT_TRUE(fails_with(login("alice@example.com", ""), errc::invalid_credentials));
  EXPECT_TRUE(fails_with(login("nobody@example.com", "alice-password"), errc::invalid_credentials));
}

TEST_F(auth_service_test, a_disabled_user_cannot_sign_in_even_with_the_right_password) {
  user_changes c;
  c.disabled = true;
  ASSERT_TRUE(succeeded(users_.change(alice_.id, c)));
  EXPECT_TRUE(fails_with(login("alice@example.com", "alice-password"), errc::invalid_credentials));
}

TEST_F(auth_service_test, authenticate_fails_after_logout) {
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(r));
  ASSERT_TRUE(succeeded(auth_.authenticate(r->token)));
  auth_.logout(r->token);
  EXPECT_TRUE(fails_with(auth_.authenticate(r->token), errc::unauthenticated));
}

TEST_F(auth_service_test, authenticate_rejects_empty_unknown_and_expired_tokens) {
  EXPECT_TRUE(fails_with(auth_.authenticate(""), errc::unauthenticated));
  EXPECT_TRUE(fails_with(auth_.authenticate("not-a-token"), errc::unauthenticated));
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(r));
  clock_.advance(token_ttl - 1ms);
  EXPECT_TRUE(succeeded(auth_.authenticate(r->token)));
  clock_.advance(1ms);
  EXPECT_TRUE(fails_with(auth_.authenticate(r->token), errc::unauthenticated));
}

TEST_F(auth_service_test, the_store_keeps_only_the_hash_of_the_token) {
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(r));
  const auto by_hash = store_->find_session_user(token_hash(r->token), clock_.now());
  ASSERT_TRUE(by_hash);
  EXPECT_EQ(by_hash->who.id, alice_.id);
  EXPECT_FALSE(store_->find_session_user(r->token, clock_.now()));
}

TEST_F(auth_service_test, a_role_change_is_seen_by_the_next_authenticate) {
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(r));
  user_changes c;
  c.role = "admin";
  ASSERT_TRUE(succeeded(users_.change(alice_.id, c)));
  const auto me = auth_.authenticate(r->token);
  ASSERT_TRUE(succeeded(me));
  EXPECT_EQ(me->role, role::admin);
}

TEST_F(auth_service_test, five_failures_for_one_e_mail_then_rate_limited_even_with_the_right_password) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(fails_with(login("alice@example.com", "guess-" + std::to_string(i)), errc::invalid_credentials))
        << "attempt " << i;
  auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(fails_with(r, errc::rate_limited));
  ASSERT_TRUE(r.err().retry_after_seconds);
  EXPECT_GE(*r.err().retry_after_seconds, 1);
  // Another spelling of the same address is the same account.
  EXPECT_TRUE(fails_with(login("ALICE@example.com", "alice-password"), errc::rate_limited));
  // From another address, the owner signs in: the limit is per account and address.
  EXPECT_TRUE(succeeded(login("alice@example.com", "alice-password", "10.0.0.2")));

  // Other accounts are unaffected.
  ASSERT_TRUE(succeeded(users_.add({"bob@example.com", "Bob", "user", "bob-password"})));
  EXPECT_TRUE(succeeded(login("bob@example.com", "bob-password")));

  // Time lets the owner back in.
  clock_.advance(seconds(*r.err().retry_after_seconds));
  EXPECT_TRUE(succeeded(login("alice@example.com", "alice-password")));
}

TEST_F(auth_service_test, successful_logins_do_not_count_as_failures) {
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(fails_with(login("alice@example.com", "nope-nope"), errc::invalid_credentials));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(succeeded(login("alice@example.com", "alice-password"))) << i;
}

TEST_F(auth_service_test, failures_from_one_address_never_lock_the_owner_out_from_another) {
  // An attacker keeps guessing, every 12 s as the bucket refills, for a minute.
  for (int round = 0; round < 6; ++round) {
    for (int i = 0; i < 6; ++i) (void)login("alice@example.com", "guess-guess", "198.51.100.66");
    EXPECT_TRUE(fails_with(login("alice@example.com", "alice-password", "198.51.100.66"), errc::rate_limited));
    EXPECT_TRUE(succeeded(login("alice@example.com", "alice-password", "203.0.113.10"))) << round;
    clock_.advance(seconds(12));
  }
}

TEST_F(auth_service_test, parallel_wrong_passwords_yield_at_most_five_invalid_credentials) {
  constexpr int n = 20;
  std::vector<std::thread> threads;
  std::atomic<int> invalid{0};
  std::atomic<int> limited{0};
  std::atomic<bool> go{false};
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&] {
      while (!go) std::this_thread::yield();
      const auto r = auth_.login("alice@example.com", "wrong-password", "10.0.0.9");
      if (fails_with(r, errc::invalid_credentials)) ++invalid;
      if (fails_with(r, errc::rate_limited)) ++limited;
    });
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(invalid.load(), 5);
  EXPECT_EQ(limited.load(), n - 5);
}

TEST_F(auth_service_test, a_right_password_gives_its_failure_token_back) {
  // Four failures, then any number of right passwords, then still one failure to spare.
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(fails_with(login("alice@example.com", "nope-nope"), errc::invalid_credentials));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(succeeded(login("alice@example.com", "alice-password"))) << i;
  EXPECT_TRUE(fails_with(login("alice@example.com", "nope-nope"), errc::invalid_credentials));
  EXPECT_TRUE(fails_with(login("alice@example.com", "alice-password"), errc::rate_limited));
}

TEST_F(auth_service_test, the_per_address_limit_counts_every_attempt) {
  for (int i = 0; i < 60; ++i)
    ASSERT_TRUE(fails_with(login("nobody" + std::to_string(i) + "@example.com", "whatever-1", "10.0.0.7"),
                           errc::invalid_credentials))
        << i;
  EXPECT_TRUE(fails_with(login("alice@example.com", "alice-password", "10.0.0.7"), errc::rate_limited));
  EXPECT_TRUE(succeeded(login("alice@example.com", "alice-password", "10.0.0.8")));
}

// ---- crypto, which auth stands on -----------------------------------------

TEST(crypto, password_hashes_verify_only_their_password) {
  const auto h = hash_password("correct horse");
  EXPECT_NE(h, "correct horse");
  EXPECT_TRUE(h.starts_with("$argon2id$")) << h;
  EXPECT_TRUE(verify_password(h, "correct horse"));
  EXPECT_FALSE(verify_password(h, "correct horse "));
  EXPECT_FALSE(verify_password(h, ""));
  EXPECT_FALSE(verify_password("garbage", "correct horse"));
  // Salted: the same password hashes differently each time.
  EXPECT_NE(hash_password("correct horse"), h);
}

TEST(crypto, tokens_are_random_url_safe_and_their_hash_is_stable_hex_sha256) {
  const auto a = random_token();
  const auto b = random_token();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);  // 32 bytes, base64 without padding
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
  EXPECT_EQ(token_hash(a), token_hash(a));
  EXPECT_NE(token_hash(a), token_hash(b));
  EXPECT_EQ(token_hash(a).size(), 64u);
  EXPECT_EQ(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// ---- the end of a sign-in reaches its sockets and tickets ------------------

TEST_F(auth_service_test, a_ticket_belongs_to_the_sign_in_that_asked_for_it) {
  const auto leaving = login("alice@example.com", "alice-password");
  const auto staying = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(leaving));
  ASSERT_TRUE(succeeded(staying));
  const auto used = auth_.issue_ws_ticket(alice_, leaving->token);
  const auto unused = auth_.issue_ws_ticket(alice_, leaving->token);
  const auto other = auth_.issue_ws_ticket(alice_, staying->token);
  const auto owner = auth_.redeem_ws_ticket(used.ticket);
  ASSERT_TRUE(succeeded(owner));
  EXPECT_EQ(owner->who.id, alice_.id);
  EXPECT_EQ(owner->auth_session, token_hash(leaving->token));

  events_.clear();
  auth_.logout(leaving->token);
  const auto ended = events_.sessions_ended();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].user_id, alice_.id);
  EXPECT_EQ(ended[0].auth_session, token_hash(leaving->token));
  EXPECT_TRUE(fails_with(auth_.redeem_ws_ticket(unused.ticket), errc::unauthenticated));
  const auto still = auth_.redeem_ws_ticket(other.ticket);
  ASSERT_TRUE(succeeded(still));
  EXPECT_EQ(still->auth_session, token_hash(staying->token));
}

// On the manual clock: waiting out the 30 s in an integration test would double its run time.
TEST_F(auth_service_test, a_ticket_works_once_and_for_30_seconds) {
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(r));
  const auto in_time = auth_.issue_ws_ticket(alice_, r->token);
  const auto too_late = auth_.issue_ws_ticket(alice_, r->token);
  EXPECT_EQ(to_millis(in_time.expires_at), to_millis(t0 + 30s));
  clock_.advance(30s - 1ms);
  EXPECT_TRUE(succeeded(auth_.redeem_ws_ticket(in_time.ticket)));
  EXPECT_TRUE(fails_with(auth_.redeem_ws_ticket(in_time.ticket), errc::unauthenticated));  // once
  clock_.advance(1ms);
  EXPECT_TRUE(fails_with(auth_.redeem_ws_ticket(too_late.ticket), errc::unauthenticated));
}

TEST_F(auth_service_test, a_ticket_of_an_expired_sign_in_opens_nothing) {
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(r));
  clock_.advance(token_ttl - 10s);
  const auto t = auth_.issue_ws_ticket(alice_, r->token);
  clock_.advance(10s);
  EXPECT_TRUE(fails_with(auth_.redeem_ws_ticket(t.ticket), errc::unauthenticated));
}

TEST_F(auth_service_test, disabling_ends_every_sign_in_of_the_user_and_their_tickets) {
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(r));
  const auto t = auth_.issue_ws_ticket(alice_, r->token);
  events_.clear();
  user_changes c;
  c.disabled = true;
  ASSERT_TRUE(succeeded(users_.change(alice_.id, c)));
  const auto ended = events_.sessions_ended();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].user_id, alice_.id);
  EXPECT_TRUE(ended[0].auth_session.empty());
  EXPECT_TRUE(fails_with(auth_.redeem_ws_ticket(t.ticket), errc::unauthenticated));
}

// ---- the session cache (ADR 0013) ------------------------------------------------------------

// A bus that can be away, as PostgreSQL's is while it reconnects: events may be missed.
class bus_that_can_be_away final : public event_bus {
 public:
  void publish(const event& e) override { inner_.publish(e); }
  void subscribe(handler h) override { inner_.subscribe(std::move(h)); }
  bool delivering() const override { return !away; }
  bool away = false;

 private:
  in_process_event_bus inner_;
};

TEST_F(auth_service_test, a_signed_in_token_is_answered_from_memory) {
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(r));
  const auto known = auth_.authenticate_from_memory(r->token);
  ASSERT_TRUE(known) << "the sign-in itself is remembered: the first request needs no store";
  ASSERT_TRUE(succeeded(*known));
  EXPECT_EQ((*known)->id, alice_.id);
  EXPECT_FALSE(auth_.authenticate_from_memory("not-a-token")) << "unknown: only the store can tell";
  EXPECT_TRUE(fails_with(*auth_.authenticate_from_memory(""), errc::unauthenticated));
}

TEST_F(auth_service_test, a_token_ended_by_another_process_stops_working_with_its_event) {
  // Two processes on one database and one bus: the sign-in is remembered by the first, the
  // logout happens on the second.
  auto second_store = open_second_store();
  auth_service second(*second_store, clock_, bus_, token_ttl);
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(r));
  ASSERT_TRUE(succeeded(auth_.authenticate(r->token)));
  ASSERT_TRUE(succeeded(second.authenticate(r->token)));

  second.logout(r->token);
  EXPECT_FALSE(auth_.authenticate_from_memory(r->token)) << "the event reached the first process's memory";
  EXPECT_TRUE(fails_with(auth_.authenticate(r->token), errc::unauthenticated));
  EXPECT_TRUE(fails_with(second.authenticate(r->token), errc::unauthenticated));
}

TEST_F(auth_service_test, disabling_a_user_stops_their_remembered_tokens_at_once) {
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_TRUE(succeeded(auth_.authenticate(r->token)));
  user_changes c;
  c.disabled = true;
  ASSERT_TRUE(succeeded(users_.change(alice_.id, c)));
  EXPECT_TRUE(fails_with(auth_.authenticate(r->token), errc::unauthenticated));
}

TEST_F(auth_service_test, a_new_role_is_seen_by_the_next_request) {
  const auto r = login("alice@example.com", "alice-password");
  ASSERT_EQ(auth_.authenticate(r->token)->role, role::user);
  user_changes c;
  c.role = "admin";
  ASSERT_TRUE(succeeded(users_.change(alice_.id, c)));
  const auto now = auth_.authenticate(r->token);
  ASSERT_TRUE(succeeded(now));
  EXPECT_EQ(now->role, role::admin) << "a promotion (or demotion) must not wait for the token to expire";
}

TEST_F(auth_service_test, nothing_is_answered_from_memory_while_the_bus_is_away) {
  bus_that_can_be_away bus;
  auth_service auth(*store_, clock_, bus, token_ttl);
  ASSERT_TRUE(succeeded(auth.admit("10.0.0.9")));
  const auto r = auth.login("alice@example.com", "alice-password", "10.0.0.9");
  ASSERT_TRUE(succeeded(r));
  ASSERT_TRUE(auth.authenticate_from_memory(r->token));
  bus.away = true;  // a logout elsewhere would not reach us now
  EXPECT_FALSE(auth.authenticate_from_memory(r->token));
  store_->delete_auth_session(token_hash(r->token));  // it happens while we are away
  EXPECT_TRUE(fails_with(auth.authenticate(r->token), errc::unauthenticated)) << "the store decides meanwhile";
}

}  // namespace
}  // namespace slotlock::unit
