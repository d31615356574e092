#include "rooms/peer_message.hpp"

#include <gtest/gtest.h>

namespace slotlock::unit {
namespace {

viewer sample_viewer(int i) {
  return {"u-" + std::to_string(i),
          "Viewer \"" + std::to_string(i) + "\" Ünal",
          "v" + std::to_string(i) + "@example.com",
          i % 2 == 0 ? role::admin : role::user,
          "tab-" + std::to_string(i),
          "#1a2b3c"};
}

TEST(PeerMessageTest, ViewersRoundTripWithEveryField) {
  peer_message m{.kind = peer_message::kind::viewers, .process_id = "p1", .appointment_id = "appt-1"};
  m.viewers = {sample_viewer(1), sample_viewer(2)};
  const auto payloads = encode_peer_message(m);
  ASSERT_EQ(payloads.size(), 1u);
  const auto back = decode_peer_message(payloads[0]);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, peer_message::kind::viewers);
  EXPECT_EQ(back->process_id, "p1");
  EXPECT_EQ(back->appointment_id, "appt-1");
  ASSERT_EQ(back->viewers.size(), 2u);
  EXPECT_EQ(back->viewers[0].name, "Viewer \"1\" Ünal");
  EXPECT_EQ(back->viewers[0].role, role::user);
  EXPECT_EQ(back->viewers[1].role, role::admin);
  EXPECT_EQ(back->viewers[1].session_id, "tab-2");
  EXPECT_EQ(back->viewers[1].color, "#1a2b3c");
  EXPECT_EQ(back->viewers[1].email, "v2@example.com");
}

TEST(PeerMessageTest, AnEmptyListIsStillSaid) {
  // "nobody views it here any more" must reach the others.
  const auto payloads =
      encode_peer_message({.kind = peer_message::kind::viewers, .process_id = "p1", .appointment_id = "a"});
  ASSERT_EQ(payloads.size(), 1u);
  const auto back = decode_peer_message(payloads[0]);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, peer_message::kind::viewers);
  EXPECT_TRUE(back->viewers.empty());
}

TEST(PeerMessageTest, AFullRoomIsSplitBelowTheLimitAndReassemblesInOrder) {
  peer_message m{.kind = peer_message::kind::viewers, .process_id = "p1", .appointment_id = "appt-1"};
  for (int i = 0; i < 200; ++i) m.viewers.push_back(sample_viewer(i));
  const auto payloads = encode_peer_message(m, 7000);
  ASSERT_GT(payloads.size(), 1u);
  std::vector<viewer> all;
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    EXPECT_LE(payloads[i].size(), 7000u);
    const auto part = decode_peer_message(payloads[i]);
    ASSERT_TRUE(part);
    EXPECT_EQ(part->kind, i == 0 ? peer_message::kind::viewers : peer_message::kind::more_viewers);
    all.insert(all.end(), part->viewers.begin(), part->viewers.end());
  }
  ASSERT_EQ(all.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(all[i].session_id, "tab-" + std::to_string(i));
}

TEST(PeerMessageTest, CursorMovesRoundTripAndSplit) {
  peer_message m{.kind = peer_message::kind::cursors, .process_id = "p1", .appointment_id = "appt-1"};
  for (int i = 0; i < 300; ++i)
    m.moves.push_back({"u-" + std::to_string(i % 3), "tab-" + std::to_string(i), i / 300.0, 1 - i / 300.0});
  const auto payloads = encode_peer_message(m, 2000);
  ASSERT_GT(payloads.size(), 1u);
  std::size_t count = 0;
  for (const auto& p : payloads) {
    EXPECT_LE(p.size(), 2000u);
    const auto part = decode_peer_message(p);
    ASSERT_TRUE(part);
    EXPECT_EQ(part->kind, peer_message::kind::cursors);
    for (const auto& mv : part->moves) {
      EXPECT_EQ(mv.user_id, "u-" + std::to_string(count % 3));
      EXPECT_EQ(mv.session_id, "tab-" + std::to_string(count));
      EXPECT_DOUBLE_EQ(mv.x, count / 300.0);
      ++count;
    }
  }
  EXPECT_EQ(count, 300u);
}

TEST(PeerMessageTest, LivenessMessagesCarryOnlyTheProcess) {
  for (auto k : {peer_message::kind::alive, peer_message::kind::hello, peer_message::kind::bye}) {
    const auto payloads = encode_peer_message({.kind = k, .process_id = "p9"});
    ASSERT_EQ(payloads.size(), 1u);
    const auto back = decode_peer_message(payloads[0]);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->kind, k);
    EXPECT_EQ(back->process_id, "p9");
  }
}

TEST(PeerMessageTest, RejectsWhatIsNotAPeerMessage) {
  EXPECT_FALSE(decode_peer_message("not json"));
  EXPECT_FALSE(decode_peer_message(R"({"k":99,"p":"p1"})"));
  EXPECT_FALSE(decode_peer_message(R"({"k":3})"));                                       // no process
  EXPECT_FALSE(decode_peer_message(R"({"k":2,"p":"p1","c":[]})"));                       // pointers of no room
  EXPECT_FALSE(decode_peer_message(R"({"k":6,"p":"p1","a":"x"})"));                      // a draft of nobody
  EXPECT_FALSE(decode_peer_message(R"({"k":2,"p":"p1","a":"x","c":[["u","t",2,0]]})"));  // off the form
  EXPECT_FALSE(decode_peer_message(R"({"k":0,"p":"p1","a":"x","v":[["only-an-id"]]})"));
}

}  // namespace
TEST(PeerMessageTest, TheListFeedsViewersTravelWithoutAnAppointment) {
  peer_message m{.kind = peer_message::kind::viewers, .process_id = "p1"};
  m.viewers.push_back({"u1", "Ann", "ann@example.com", role::user, "tab-1", "#123456"});
  const auto payloads = encode_peer_message(m);
  ASSERT_EQ(payloads.size(), 1u);
  const auto back = decode_peer_message(payloads[0]);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->appointment_id.empty());
  ASSERT_EQ(back->viewers.size(), 1u);
}

TEST(PeerMessageTest, ALongDraftTravelsInPiecesThatAddUpToIt) {
  std::string notes;
  for (int i = 0; i < 3000; ++i) notes += "\u00e9\u4e2d";  // 15 KB of two- and three-byte characters
  peer_message m{.kind = peer_message::kind::draft, .process_id = "p1", .appointment_id = "a1"};
  m.draft = shared_draft{"tab-1", {"u1", "Ann", "ann@example.com"}, {{"title", "New title"}, {"notes", notes}}};
  const auto payloads = encode_peer_message(m, 7000);
  ASSERT_GT(payloads.size(), 2u);
  shared_draft whole;
  int parts = 0;
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    EXPECT_LE(payloads[i].size(), 7000u);
    const auto back = decode_peer_message(payloads[i]);
    ASSERT_TRUE(back) << i;
    EXPECT_EQ(back->kind, i == 0 ? peer_message::kind::draft : peer_message::kind::more_draft);
    EXPECT_EQ(back->parts, static_cast<int>(payloads.size()));
    if (i == 0) {
      whole = *back->draft;
      parts = back->parts;
    } else {
      append_draft_pieces(whole, *back->draft);
    }
  }
  EXPECT_EQ(parts, static_cast<int>(payloads.size()));
  EXPECT_EQ(whole.session_id, "tab-1");
  EXPECT_EQ(whole.who.name, "Ann");
  ASSERT_EQ(whole.fields.size(), 2u);
  EXPECT_EQ(whole.fields[0].second, "New title");
  EXPECT_EQ(whole.fields[1].second, notes);
}

TEST(PeerMessageTest, AnEmptyDraftIsOnePayload) {
  peer_message m{.kind = peer_message::kind::draft, .process_id = "p1", .appointment_id = "a1"};
  m.draft = shared_draft{"tab-1", {"u1", "Ann", "ann@example.com"}, {}};
  const auto payloads = encode_peer_message(m);
  ASSERT_EQ(payloads.size(), 1u);
  const auto back = decode_peer_message(payloads[0]);
  ASSERT_TRUE(back && back->draft);
  EXPECT_TRUE(back->draft->fields.empty());
  EXPECT_EQ(back->parts, 1);
}

}  // namespace slotlock::unit
