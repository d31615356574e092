#include "domain/user_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <thread>
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
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", "", "user", "dana-password"})), std::vector<std::string>{"name"});
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", "   ", "user", "dana-password"})),
            std::vector<std::string>{"name"});
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", std::string(101, 'd'), "user", "dana-password"})),
            std::vector<std::string>{"name"});
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", "Dana", "superuser", "dana-password"})),
            std::vector<std::string>{"role"});
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", "Dana", "user", "short"})), std::vector<std::string>{"password"});
  EXPECT_EQ(fields_of(users_.add({"dana@example.com", "Dana", "user", std::string(257, 'p')})),
            std::vector<std::string>{"password"});
  const auto all = users_.add({"", "", "", ""});
  ASSERT_TRUE(fails_with(all, errc::validation_failed));
  EXPECT_EQ(fields_of(all), (std::vector<std::string>{"email", "name", "role", "password"}));
  EXPECT_TRUE(users_.list().empty());

  EXPECT_TRUE(succeeded(users_.add({"dana@example.com", std::string(100, 'd'), "user", "1234567890"})));
}

TEST_F(user_service_test, passwords_are_10_to_256_characters_not_blank_without_control_characters) {
  const auto password_refused = [&](const std::string& pw) {
    return fields_of(users_.add({"dana@example.com", "Dana", "user", pw})) == std::vector<std::string>{"password"};
  };
  for (const std::string& bad :
       {std::string("123456789"), std::string(8, ' '), std::string(12, ' '), std::string(10, '\0'),
        std::string("good-pass\0word", 14), std::string("tab\there-and"), std::string("new\nline-pass"),
        std::string("escape\x1b[2J"), std::string("del-\x7f-password"), std::string("c1-\xc2\x9b-password"),
        std::string("\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"),
        std::string("\xe3\x80\x80") + std::string(10, ' '), std::string("\xff\xfe-not-utf-8"), std::string(257, 'p')})
    EXPECT_TRUE(password_refused(bad)) << "'" << bad << "'";
  // Characters, not bytes: ten two-byte characters are enough, 256 of them not too many.
  std::string ten_accents;
  for (int i = 0; i < 10; ++i) ten_accents += "\xc3\xa9";
  EXPECT_TRUE(succeeded(users_.add({"a@example.com", "A", "user", ten_accents})));
  std::string many;
  for (int i = 0; i < 256; ++i) many += "\xc3\xa9";
  EXPECT_TRUE(succeeded(users_.add({"b@example.com", "B", "user", many})));
  EXPECT_TRUE(succeeded(users_.add({"c@example.com", "C", "user", "  spaced out  "})));
  EXPECT_TRUE(users_.list().size() == 3);

  user_changes c;
  c.password = std::string(10, '\0');
  const auto dana = users_.add({"dana@example.com", "Dana", "user", "dana-password"});
  ASSERT_TRUE(succeeded(dana));
  EXPECT_TRUE(fails_with(users_.change(dana->id, c), errc::validation_failed));
}

TEST_F(user_service_test, the_published_demo_passwords_stay_valid_through_add_demo_only) {
  EXPECT_TRUE(fails_with(users_.add({"bob@example.com", "Bob Chen", "user", "bob-demo"}), errc::validation_failed));
  EXPECT_TRUE(succeeded(users_.add_demo({"bob@example.com", "Bob Chen", "user", "bob-demo"})));
  EXPECT_TRUE(succeeded(users_.add({"alice@example.com", "Alice", "user", "alice-demo"})));
  EXPECT_TRUE(
      fails_with(users_.add_demo({"x@example.com", "X", "user", std::string(8, '\0')}), errc::validation_failed));
}

TEST_F(user_service_test, names_are_utf8_without_control_characters) {
  for (const std::string& bad : {std::string("Dana\nAdmin"), std::string("\x1b[31mDana"), std::string("Da\0na", 5),
                                 std::string("Dana\xff"), std::string("Da\xc2\x85na"), std::string("\x7f")})
    EXPECT_EQ(fields_of(users_.add({"dana@example.com", bad, "user", "dana-password"})),
              std::vector<std::string>{"name"})
        << "'" << bad << "'";
  EXPECT_TRUE(
      succeeded(users_.add({"dana@example.com", "Dana \xc3\x85str\xc3\xb6m \xe6\x9d\xb1", "user", "dana-password"})));
  EXPECT_FALSE(looks_like_email("d\xffna@example.com"));
}

TEST_F(user_service_test, the_last_active_admin_cannot_be_demoted_or_disabled) {
  const auto ann = users_.add({"ann@example.com", "Ann", "admin", "ann-password"});
  const auto ben = users_.add({"ben@example.com", "Ben", "user", "ben-password"});
  ASSERT_TRUE(succeeded(ann));
  ASSERT_TRUE(succeeded(ben));
  user_changes demote;
  demote.role = "user";
  user_changes disable;
  disable.disabled = true;
  EXPECT_TRUE(fails_with(users_.change(ann->id, demote), errc::conflict));
  EXPECT_TRUE(fails_with(users_.change(ann->id, disable), errc::conflict));
  EXPECT_EQ(store_->find_user(ann->id)->role, role::admin);
  EXPECT_FALSE(store_->find_user(ann->id)->disabled);
  // Other changes to the last admin are fine.
  user_changes rename;
  rename.name = "Ann A.";
  EXPECT_TRUE(succeeded(users_.change(ann->id, rename)));

  // A disabled admin does not count; a second active one does.
  const auto cy = users_.add({"cy@example.com", "Cy", "admin", "cy-password"});
  ASSERT_TRUE(succeeded(cy));
  ASSERT_TRUE(succeeded(users_.change(cy->id, disable)));
  EXPECT_TRUE(fails_with(users_.change(ann->id, demote), errc::conflict));
  user_changes promote;
  promote.role = "admin";
  ASSERT_TRUE(succeeded(users_.change(ben->id, promote)));
  EXPECT_TRUE(succeeded(users_.change(ann->id, demote)));
  EXPECT_TRUE(fails_with(users_.change(ben->id, disable), errc::conflict));
}

TEST_F(user_service_test, two_admins_demoting_each_other_at_once_leave_one) {
  user_changes demote;
  demote.role = "user";
  std::optional<std::string> survivor;
  for (int round = 0; round < 20; ++round) {
    const auto a = users_.add({"a" + std::to_string(round) + "@example.com", "A", "admin", "a-password"});
    const auto b = users_.add({"b" + std::to_string(round) + "@example.com", "B", "admin", "b-password"});
    ASSERT_TRUE(succeeded(a));
    ASSERT_TRUE(succeeded(b));
    if (survivor) {
      ASSERT_TRUE(succeeded(users_.change(*survivor, demote)));  // a and b are the only admins
    }
    std::atomic<bool> go{false};
    std::thread t1([&] {
      while (!go) std::this_thread::yield();
      (void)users_.change(a->id, demote);
    });
    std::thread t2([&] {
      while (!go) std::this_thread::yield();
      (void)users_.change(b->id, demote);
    });
    go = true;
    t1.join();
    t2.join();
    std::vector<std::string> admins;
    for (const auto& u : users_.list())
      if (u.role == role::admin && !u.disabled) admins.push_back(u.id);
    ASSERT_EQ(admins.size(), 1u) << round;
    survivor = admins.front();
  }
}

TEST(looks_like_email, accepts_plausible_addresses_only) {
  for (const char* ok : {"a@b.co", "first.last+tag@sub.example.org"}) EXPECT_TRUE(looks_like_email(ok)) << ok;
  for (const char* bad : {"", "a@b", "@b.co", "a@", "a@@b.co", "a b@c.co", "a@b.co.", "a@.b.co", "a\n@b.co"})
    EXPECT_FALSE(looks_like_email(bad)) << "'" << bad << "'";
  EXPECT_FALSE(looks_like_email(std::string(250, 'a') + "@b.co"));
}

}  // namespace
}  // namespace slotlock::unit
