// The hub with fake members: no sockets, no Beast. A member records what the hub hands it.
#include "rooms/hub.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "domain/appointment_service.hpp"
#include "domain/fixture.hpp"
#include "domain/lock_service.hpp"
#include "rooms/cursor_fanout.hpp"

namespace slotlock::unit {
namespace {

using namespace std::chrono_literals;

class fake_member final : public room_member {
 public:
  fake_member(const user& who, std::string room, std::string session, bool holds_lock = false) {
    id_.who = who;
    id_.room = std::move(room);
    id_.session_id = std::move(session);
    id_.color = color_for(who.id);
    id_.holds_lock = holds_lock;
  }
  const member_identity& id() const override { return id_; }
  void send(frame_body body) override {
    std::lock_guard g(mutex_);
    frames_.push_back(*body);
  }
  void send_cursors(std::shared_ptr<const cursor_batch> moved) override {
    std::lock_guard g(mutex_);
    for (const auto& [tab, object] : moved->objects) cursor_tabs_.push_back(tab);
  }
  void start_with(frame_body snapshot) override {
    std::lock_guard g(mutex_);
    frames_.insert(frames_.begin(), *snapshot);
  }
  void end_session() override {
    std::lock_guard g(mutex_);
    ended_ = true;
  }
  void check_alive() override {
    std::lock_guard g(mutex_);
    ++alive_checks_;
  }
  void close_room() override {
    std::lock_guard g(mutex_);
    room_closed_ = true;
  }
  bool room_closed() const {
    std::lock_guard g(mutex_);
    return room_closed_;
  }

  // Frames whose type is `type` ("presence", "lock.released", ...).
  std::vector<std::string> frames(const std::string& type) const {
    std::lock_guard g(mutex_);
    std::vector<std::string> out;
    for (const auto& f : frames_)
      if (f.find("\"type\":\"" + type + "\"") != std::string::npos) out.push_back(f);
    return out;
  }
  std::vector<tab_key> cursor_tabs() const {
    std::lock_guard g(mutex_);
    return cursor_tabs_;
  }
  int alive_checks() const {
    std::lock_guard g(mutex_);
    return alive_checks_;
  }
  bool ended() const {
    std::lock_guard g(mutex_);
    return ended_;
  }

 private:
  member_identity id_;
  mutable std::mutex mutex_;
  std::vector<std::string> frames_;
  std::vector<tab_key> cursor_tabs_;
  int alive_checks_ = 0;
  bool room_closed_ = false;
  bool ended_ = false;
};

class hub_test : public domain_test {
 protected:
  hub_test() {
    alice_ = add_user("alice");
    bob_ = add_user("bob");
    carol_ = add_user("carol", role::admin);
    appt_ = add_appointment();
    lock_settings s;
    s.attempts_per_second = 1e6;
    locks_ = std::make_unique<lock_service>(*store_, clock_, bus_, s);
    appointments_ = std::make_unique<appointment_service>(*store_, clock_, bus_, s.ttl);
    hub_settings h;
    h.disconnect_grace = 15s;
    h.tick = 1ms;
    h.keepalive_every = 0ms;  // every tick
    h.max_room_viewers = 2;
    h.max_user_sockets_per_room = 2;
    hub_ = std::make_unique<hub>(ioc_, blocking_, *locks_, *appointments_, clock_, h);
    hub_->start(bus_);
  }
  ~hub_test() override {
    hub_->stop();
    ioc_.run_for(5ms);
    blocking_.join();
  }

  std::shared_ptr<fake_member> member(const user& who, const std::string& session, bool holds_lock = false) {
    return std::make_shared<fake_member>(who, appt_, session, holds_lock);
  }
  // Alice takes the lock and closes her only tab while Bob watches; returns Bob's member.
  std::shared_ptr<fake_member> holder_leaves_while_bob_watches() {
    EXPECT_TRUE(succeeded(locks_->acquire({appt_, alice_, "tab-a", false, false})));
    auto holder = member(alice_, "tab-a", true);
    auto watcher = member(bob_, "tab-b");
    EXPECT_EQ(hub_->join(holder), hub::join_result::joined);
    EXPECT_EQ(hub_->join(watcher), hub::join_result::joined);
    clock_.advance(1s);  // she worked a while before her tab closed
    hub_->leave(*holder);
    return watcher;
  }
  // Drives the hub's timer (and whatever the pool posts back) until `done`, at most two seconds.
  bool run_until(const std::function<bool()>& done) {
    for (int i = 0; i < 400 && !done(); ++i) ioc_.run_for(5ms);
    return done();
  }

  user alice_, bob_, carol_;
  std::string appt_;
  std::unique_ptr<lock_service> locks_;
  std::unique_ptr<appointment_service> appointments_;
  boost::asio::io_context ioc_;
  boost::asio::thread_pool blocking_{1};
  std::unique_ptr<hub> hub_;
};

TEST_F(hub_test, joining_tells_everyone_in_the_room_who_is_there) {
  auto a = member(alice_, "tab-a");
  auto b = member(bob_, "tab-b");
  ASSERT_EQ(hub_->join(a), hub::join_result::joined);
  ASSERT_EQ(hub_->join(b), hub::join_result::joined);
  const auto seen_by_a = a->frames("presence");
  ASSERT_EQ(seen_by_a.size(), 2u);
  EXPECT_NE(seen_by_a.back().find("\"name\":\"bob\""), std::string::npos);
  EXPECT_EQ(b->frames("presence").size(), 1u);
  hub_->leave(*b);
  ASSERT_EQ(a->frames("presence").size(), 3u);
  EXPECT_EQ(a->frames("presence").back().find("\"name\":\"bob\""), std::string::npos);
}

TEST_F(hub_test, a_full_room_refuses_a_viewer_but_not_the_holder_or_an_admin) {
  ASSERT_EQ(hub_->join(member(alice_, "tab-a")), hub::join_result::joined);
  ASSERT_EQ(hub_->join(member(alice_, "tab-a2")), hub::join_result::joined);
  EXPECT_EQ(hub_->join(member(alice_, "tab-a3")), hub::join_result::too_many_sockets);  // two per person
  EXPECT_EQ(hub_->join(member(bob_, "tab-b")), hub::join_result::room_full);
  EXPECT_EQ(hub_->join(member(bob_, "tab-b", true)), hub::join_result::joined);  // holds the lock
  EXPECT_EQ(hub_->join(member(carol_, "tab-c")), hub::join_result::joined);      // an admin
}

TEST_F(hub_test, each_member_gets_every_pointer_that_moved_but_its_own) {
  auto a = member(alice_, "tab-a");
  auto b = member(bob_, "tab-b");
  auto c = member(carol_, "tab-c");
  for (const auto& m : {a, b, c}) ASSERT_EQ(hub_->join(m), hub::join_result::joined);
  hub_->cursor_moved(*a, 0.1, 0.2);
  hub_->cursor_moved(*b, 0.3, 0.4);
  ASSERT_TRUE(run_until([&] { return !c->cursor_tabs().empty(); }));
  const tab_key alice_tab{alice_.id, "tab-a"}, bob_tab{bob_.id, "tab-b"};
  EXPECT_EQ(a->cursor_tabs(), std::vector<tab_key>{bob_tab});
  EXPECT_EQ(b->cursor_tabs(), std::vector<tab_key>{alice_tab});
  EXPECT_EQ(c->cursor_tabs(), (std::vector<tab_key>{alice_tab, bob_tab}));
}

TEST(cursor_fanout, a_person_with_two_tabs_sees_neither_of_their_own_pointers) {
  user alice;
  alice.id = "u-alice";
  user bob;
  bob.id = "u-bob";
  auto a1 = std::make_shared<fake_member>(alice, "appt", "tab-1");
  auto a2 = std::make_shared<fake_member>(alice, "appt", "tab-2");
  auto b = std::make_shared<fake_member>(bob, "appt", "tab-b");
  const std::vector<std::shared_ptr<room_member>> members{a1, a2, b};
  fan_out_cursors(members, {cursor{"u-alice", "tab-1", "Alice", "#000", 0.5, 0.5}});
  EXPECT_TRUE(a1->cursor_tabs().empty());
  EXPECT_TRUE(a2->cursor_tabs().empty());
  EXPECT_EQ(b->cursor_tabs(), (std::vector<tab_key>{{"u-alice", "tab-1"}}));
}

TEST_F(hub_test, a_holder_whose_tab_closed_loses_the_lock_when_the_grace_runs_out) {
  const auto watcher = holder_leaves_while_bob_watches();
  clock_.advance(14s);
  ioc_.run_for(20ms);  // ticks before the grace is over: nothing
  EXPECT_TRUE(watcher->frames("lock.released").empty());
  clock_.advance(1s);
  ASSERT_TRUE(run_until([&] { return !watcher->frames("lock.released").empty(); }));
  EXPECT_NE(watcher->frames("lock.released")[0].find("\"reason\":\"disconnect\""), std::string::npos);
}

TEST_F(hub_test, a_tab_back_within_the_grace_keeps_its_lock) {
  const auto watcher = holder_leaves_while_bob_watches();
  clock_.advance(10s);
  ASSERT_EQ(hub_->join(member(alice_, "tab-a", true)), hub::join_result::joined);  // a reload
  clock_.advance(10s);
  ioc_.run_for(20ms);
  auto status = locks_->status(appt_);
  ASSERT_TRUE(status);
  ASSERT_TRUE(*status);
  EXPECT_EQ((*status)->session_id, "tab-a");
  EXPECT_TRUE(watcher->frames("lock.released").empty());
}

TEST_F(hub_test, lock_events_reach_the_room_and_the_list_feed_but_the_line_only_the_room) {
  auto viewer = member(bob_, "tab-b");
  auto feed = std::make_shared<fake_member>(carol_, "", "tab-list");
  ASSERT_EQ(hub_->join(viewer), hub::join_result::joined);
  ASSERT_EQ(hub_->join(feed), hub::join_result::joined);
  ASSERT_TRUE(succeeded(locks_->acquire({appt_, alice_, "tab-a", false, false})));
  EXPECT_EQ(viewer->frames("lock.acquired").size(), 1u);
  EXPECT_EQ(feed->frames("lock.acquired").size(), 1u);
  lock_event line;
  line.kind = lock_event_kind::queue_changed;
  line.appointment_id = appt_;
  bus_.publish(line);
  EXPECT_EQ(viewer->frames("lock.queue").size(), 1u);
  EXPECT_TRUE(feed->frames("lock.queue").empty());
}

TEST_F(hub_test, a_signed_out_user_s_members_are_ended_and_no_one_else_s) {
  auto a = member(alice_, "tab-a");
  auto b = member(bob_, "tab-b");
  ASSERT_EQ(hub_->join(a), hub::join_result::joined);
  ASSERT_EQ(hub_->join(b), hub::join_result::joined);
  bus_.publish(session_ended{alice_.id, ""});
  EXPECT_TRUE(a->ended());
  EXPECT_FALSE(b->ended());
}

TEST_F(hub_test, every_member_is_checked_for_liveness_from_the_one_timer) {
  auto a = member(alice_, "tab-a");
  auto feed = std::make_shared<fake_member>(bob_, "", "tab-list");
  ASSERT_EQ(hub_->join(a), hub::join_result::joined);
  ASSERT_EQ(hub_->join(feed), hub::join_result::joined);
  ASSERT_TRUE(run_until([&] { return a->alive_checks() >= 2 && feed->alive_checks() >= 2; }));
}

TEST_F(hub_test, the_holders_draft_reaches_the_others_and_a_save_ends_it) {
  const auto token = locks_->acquire({appt_, alice_, "tab-a", false, false})->lock->fencing_token;
  // (This fixture's rooms hold two viewers; the holder and admins get in all the same.)
  auto holder = member(alice_, "tab-a", true);
  auto other_tab = member(alice_, "tab-a2");
  auto watcher = member(carol_, "tab-c");
  for (const auto& m : {holder, other_tab, watcher}) ASSERT_EQ(hub_->join(m), hub::join_result::joined);

  hub_->draft(holder, {{{"title", "Typing"}}});
  ASSERT_TRUE(run_until([&] { return !watcher->frames("draft").empty(); }));
  EXPECT_NE(watcher->frames("draft")[0].find("\"fields\":{\"title\":\"Typing\"}"), std::string::npos);
  EXPECT_EQ(other_tab->frames("draft").size(), 1u);  // the holder's other tabs see it too
  EXPECT_TRUE(holder->frames("draft").empty());      // never echoed

  // Only the holding tab may share one.
  hub_->draft(other_tab, {{{"title", "Not me"}}});
  hub_->draft(watcher, {{{"title", "Nor me"}}});
  ASSERT_TRUE(run_until([&] { return !other_tab->frames("error").empty() && !watcher->frames("error").empty(); }));
  EXPECT_EQ(watcher->frames("draft").size(), 1u);

  // A newcomer's snapshot carries it; after the save it is gone.
  auto late = member(carol_, "tab-c2");
  ASSERT_EQ(hub_->join(late), hub::join_result::joined);
  hub_->prepare_snapshot(late);
  ASSERT_TRUE(run_until([&] { return !late->frames("snapshot").empty(); }));
  EXPECT_NE(late->frames("snapshot")[0].find("\"draft\":{"), std::string::npos);
  save_request save;
  save.appointment_id = appt_;
  save.input = {"Typing", "Pat Client", "pat@example.com", "2027-01-16T10:00:00Z", "2027-01-16T11:00:00Z",
                "Room 1", "",           "scheduled"};
  save.based_on_version = 1;
  save.fencing_token = token;
  save.caller = alice_;
  ASSERT_TRUE(succeeded(appointments_->save(save)));
  hub_->leave(*late);
  auto after = member(carol_, "tab-c3");
  ASSERT_EQ(hub_->join(after), hub::join_result::joined);
  hub_->prepare_snapshot(after);
  ASSERT_TRUE(run_until([&] { return !after->frames("snapshot").empty(); }));
  EXPECT_NE(after->frames("snapshot")[0].find("\"draft\":null"), std::string::npos);
}

TEST_F(hub_test, a_deleted_appointment_tells_its_room_and_closes_it) {
  const auto token = locks_->acquire({appt_, alice_, "tab-a", false, false})->lock->fencing_token;
  auto watcher = member(bob_, "tab-b");
  ASSERT_EQ(hub_->join(watcher), hub::join_result::joined);
  ASSERT_TRUE(succeeded(appointments_->remove({appt_, token, alice_})));
  ASSERT_EQ(watcher->frames("appointment.deleted").size(), 1u);
  EXPECT_TRUE(watcher->room_closed());
}

TEST_F(hub_test, a_tab_on_the_list_is_still_in_the_app_and_keeps_its_place_in_line) {
  auto feed = std::make_shared<fake_member>(bob_, "", "tab-b");
  EXPECT_FALSE(hub_->tab_open(appt_, {bob_.id, "tab-b"}));
  ASSERT_EQ(hub_->join(feed), hub::join_result::joined);
  EXPECT_TRUE(hub_->tab_open(appt_, {bob_.id, "tab-b"}));
  EXPECT_FALSE(hub_->tab_open(appt_, {bob_.id, "tab-other"}));
  EXPECT_FALSE(hub_->tab_open(appt_, {alice_.id, "tab-b"}));  // a sessionId is not an identity

  ASSERT_TRUE(succeeded(locks_->acquire({appt_, alice_, "tab-a", false, false})));
  ASSERT_TRUE(succeeded(locks_->acquire({appt_, bob_, "tab-b", false, true})));
  hub_->leave(*feed);  // the tab closed: after the grace it leaves the line
  clock_.advance(16s);
  ASSERT_TRUE(run_until([&] { return locks_->lines_of(bob_.id, "tab-b").empty(); }));
  EXPECT_TRUE(locks_->queue(appt_)->empty());
}

}  // namespace
}  // namespace slotlock::unit
