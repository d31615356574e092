#include "domain/user_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "domain/auth_service.hpp"
#include "domain/crypto.hpp"
#include "fixture.hpp"

namespace slotlock::unit {
namespace {

std::vector<std::string> fields_of(const result<user>& r) {
  std::vector<std::string> names;
  if (!r.has_value())
    for (const auto& f : r.err().fields) names.push_back(f.field);
  return names;
}

class user_service_test : public domain_test {
 protected:
  user_service_test() : users_(*store_, clock_, bus_), auth_(*store_, clock_, bus_, seconds(3600)) {}

  user_service users_;
  auth_service auth_;
};

TEST_F(user_service_test, add_stores_a_user_with_a_hashed_password) {
  const auto r = users_.add({"Dana@Example.com", "Dana", "admin", "dana-password"});
  ASSERT_TRUE(succeeded(r));
  EXPECT_FALSE(r->id.empty());
  EXPECT_EQ(r->email, "dana@example.com");
  EXPECT_EQ(r->name, "Dana");
  EXPECT_EQ(r->role, role::admin);
  EXPECT_FALSE(r->disabled);
  EXPECT_EQ(to_millis(r->created_at), to_millis(t0));

  const auto stored = store_->find_user(r->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->email, "dana@example.com");
  EXPECT_NE(stored->password_hash, "dana-password");
  EXPECT_TRUE(verify_password(stored->password_hash, "dana-password"));
  EXPECT_EQ(users_.list().size(), 1u);
  const auto found = users_.find_by_email("DANA@example.com");
  ASSERT_TRUE(succeeded(found));
  EXPECT_EQ(found->id, r->id);
  EXPECT_TRUE(fails_with(users_.find_by_email("nobody@example.com"), errc::not_found));
}

TEST_F(user_service_test, add_validates_every_field) {
  EXPECT_EQ(fields_of(users_.add({"not-an-email", "Dana", "user", "dana-password"})),
            std::vector<std::string>{"email"});
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", "", "user", "dana-password"})),
            std::vector<std::string>{"name"});
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", "   ", "user", "dana-password"})),
            std::vector<std::string>{"name"});
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", std::string(101, 'd'), "user", "dana-password"})),
            std::vector<std::string>{"name"});
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", "Dana", "superuser", "dana-password"})),
            std::vector<std::string>{"role"});
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", "Dana", "user", "short"})),
            std::vector<std::string>{"password"});
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", "Dana", "user", std::string(257, 'p')})),
            std::vector<std::string>{"password"});
  const auto all = users_.add({"", "", "", ""});
  ASSERT_TRUE(fails_with(all, errc::validation_failed));
  EXPECT_EQ(fields_of(all), (std::vector<std::string>{"email", "name", "role", "password"}));
  EXPECT_TRUE(users_.list().empty());

  EXPECT_TRUE(succeeded(users_.add({"dana@example.com", std::string(100, 'd'), "user", "12345678"})));
}

TEST_F(user_service_test, a_taken_e_mail_is_a_conflict_whatever_its_case) {
  ASSERT_TRUE(succeeded(users_.add({"dana@example.com", "Dana", "user", "dana-password"})));
  EXPECT_TRUE(fails_with(users_.add({"dana@example.com", "Dana 2", "user", "dana-password"}), errc::conflict));
  EXPECT_TRUE(fails_with(users_.add({"DANA@Example.Com", "Dana 3", "admin", "dana-password"}), errc::conflict));
  EXPECT_EQ(users_.list().size(), 1u);
}

TEST_F(user_service_test, change_sets_role_and_name_and_validates) {
  const auto dana = users_.add({"dana@example.com", "Dana", "user", "dana-password"});
  ASSERT_TRUE(succeeded(dana));

  user_changes c;
  c.role = "admin";
  c.name = "Dana A.";
  const auto r = users_.change(dana->id, c);
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r->role, role::admin);
  EXPECT_EQ(store_->find_user(dana->id)->role, role::admin);
  EXPECT_EQ(store_->find_user(dana->id)->name, "Dana A.");

  user_changes bad;
  bad.role = "owner";
  EXPECT_TRUE(fails_with(users_.change(dana->id, bad), errc::validation_failed));
  bad = {};
  bad.name = "";
  EXPECT_TRUE(fails_with(users_.change(dana->id, bad), errc::validation_failed));
  bad = {};
  bad.password = "short";
  EXPECT_TRUE(fails_with(users_.change(dana->id, bad), errc::validation_failed));
  EXPECT_EQ(store_->find_user(dana->id)->role, role::admin);
  EXPECT_EQ(store_->find_user(dana->id)->name, "Dana A.");

  EXPECT_TRUE(fails_with(users_.change("no-such", c), errc::not_found));
}

TEST_F(user_service_test, disabling_ends_the_users_sessions_and_blocks_sign_in) {
  const auto dana = users_.add({"dana@example.com", "Dana", "user", "dana-password"});
  ASSERT_TRUE(succeeded(dana));
  const auto other = users_.add({"erik@example.com", "Erik", "user", "erik-password"});
  ASSERT_TRUE(succeeded(other));
  const auto s1 = auth_.login("dana@example.com", "dana-password", "a");
  const auto s2 = auth_.login("dana@example.com", "dana-password", "a");
  const auto s3 = auth_.login("erik@example.com", "erik-password", "a");
  ASSERT_TRUE(succeeded(s1));
  ASSERT_TRUE(succeeded(s2));
  ASSERT_TRUE(succeeded(s3));

  user_changes c;
  c.disabled = true;
  const auto r = users_.change(dana->id, c);
  ASSERT_TRUE(succeeded(r));
  EXPECT_TRUE(r->disabled);

  EXPECT_TRUE(fails_with(auth_.authenticate(s1->token), errc::unauthenticated));
  EXPECT_TRUE(fails_with(auth_.authenticate(s2->token), errc::unauthenticated));
  EXPECT_FALSE(store_->find_session_user(token_hash(s1->token), clock_.now()));
  EXPECT_TRUE(succeeded(auth_.authenticate(s3->token)));  // others keep theirs
  EXPECT_TRUE(fails_with(auth_.login("dana@example.com", "dana-password", "a"), errc::invalid_credentials));

  // Enabled again: signs in afresh, old tokens stay dead.
  c.disabled = false;
  ASSERT_TRUE(succeeded(users_.change(dana->id, c)));
  EXPECT_TRUE(fails_with(auth_.authenticate(s1->token), errc::unauthenticated));
  EXPECT_TRUE(succeeded(auth_.login("dana@example.com", "dana-password", "a")));
}

TEST_F(user_service_test, a_new_password_ends_sessions_and_replaces_the_old_one) {
  const auto dana = users_.add({"dana@example.com", "Dana", "user", "dana-password"});
  ASSERT_TRUE(succeeded(dana));
  const auto s = auth_.login("dana@example.com", "dana-password", "a");
  ASSERT_TRUE(succeeded(s));
  user_changes c;
  c.password = "new-dana-password";
  ASSERT_TRUE(succeeded(users_.change(dana->id, c)));
  EXPECT_TRUE(fails_with(auth_.authenticate(s->token), errc::unauthenticated));
  EXPECT_TRUE(fails_with(auth_.login("dana@example.com", "dana-password", "a"), errc::invalid_credentials));
  EXPECT_TRUE(succeeded(auth_.login("dana@example.com", "new-dana-password", "a")));
}

TEST(looks_like_email, accepts_plausible_addresses_only) {
  for (const char* ok : {"a@b.co", "first.last+tag@sub.example.org"}) EXPECT_TRUE(looks_like_email(ok)) << ok;
  for (const char* bad : {"", "a@b", "@b.co", "a@", "a@@b.co", "a b@c.co", "a@b.co.", "a@.b.co", "a\n@b.co"})
    EXPECT_FALSE(looks_like_email(bad)) << "'" << bad << "'";
  EXPECT_FALSE(looks_like_email(std::string(250, 'a') + "@b.co"));
}

}  // namespace
}  // namespace slotlock::unit
