#include "http/client_address.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace slotlock::unit {
namespace {

namespace ip = boost::asio::ip;

ip::address addr(const char* s) { return ip::make_address(s); }

TEST(trusted_proxies, nobody_trusted_means_the_peer_whatever_the_header_says) {
  trusted_proxies none;
  EXPECT_EQ(none.client_address(addr("127.0.0.1"), "203.0.113.9"), "127.0.0.1");
}

TEST(trusted_proxies, a_trusted_peer_gives_the_right_most_untrusted_hop) {
  trusted_proxies t({"127.0.0.1/32", "10.0.0.0/8"});
  EXPECT_EQ(t.client_address(addr("127.0.0.1"), "203.0.113.9"), "203.0.113.9");
  // The client wrote the left part itself: only what trusted hops appended counts.
  EXPECT_EQ(t.client_address(addr("127.0.0.1"), "1.2.3.4, 203.0.113.9, 10.1.2.3"), "203.0.113.9");
  EXPECT_EQ(t.client_address(addr("10.9.9.9"), " 198.51.100.7 "), "198.51.100.7");
}

TEST(trusted_proxies, an_untrusted_peer_is_the_client_even_with_a_header) {
  trusted_proxies t({"10.0.0.0/8"});
  EXPECT_EQ(t.client_address(addr("192.0.2.1"), "10.0.0.1"), "192.0.2.1");
}

TEST(trusted_proxies, without_a_header_or_with_garbage_the_last_trusted_hop_is_used) {
  trusted_proxies t({"127.0.0.1"});
  EXPECT_EQ(t.client_address(addr("127.0.0.1"), ""), "127.0.0.1");
  EXPECT_EQ(t.client_address(addr("127.0.0.1"), "not-an-address"), "127.0.0.1");
  EXPECT_EQ(t.client_address(addr("127.0.0.1"), "203.0.113.9, \n\x1b[31m"), "127.0.0.1");
  EXPECT_EQ(t.client_address(addr("127.0.0.1"), "garbage, 203.0.113.9"), "203.0.113.9");
}

TEST(trusted_proxies, all_hops_trusted_gives_the_left_most) {
  trusted_proxies t({"10.0.0.0/8", "127.0.0.1"});
  EXPECT_EQ(t.client_address(addr("127.0.0.1"), "10.0.0.2, 10.0.0.3"), "10.0.0.2");
}

TEST(trusted_proxies, ipv6_and_mapped_addresses) {
  trusted_proxies t({"::1", "fd00::/8", "192.168.0.0/16"});
  EXPECT_TRUE(t.contains(addr("::1")));
  EXPECT_TRUE(t.contains(addr("fd12::5")));
  EXPECT_FALSE(t.contains(addr("fe80::1")));
  EXPECT_TRUE(t.contains(addr("::ffff:192.168.4.5")));
  EXPECT_EQ(t.client_address(addr("::1"), "[2001:db8::7]"), "2001:db8::7");
  EXPECT_EQ(t.client_address(addr("::ffff:192.168.1.1"), "::ffff:203.0.113.5"), "203.0.113.5");
  EXPECT_EQ(t.client_address(addr("::ffff:198.51.100.1"), ""), "198.51.100.1");
}

TEST(trusted_proxies, a_bad_cidr_is_refused_at_start_up) {
  EXPECT_THROW(trusted_proxies({"10.0.0.0/33"}), std::invalid_argument);
  EXPECT_THROW(trusted_proxies({"nginx"}), std::invalid_argument);
  EXPECT_THROW(trusted_proxies({"fd00::/200"}), std::invalid_argument);
  EXPECT_NO_THROW(trusted_proxies({"10.1.2.3/8"}));  // host bits set: the network is meant
}

}  // namespace
}  // namespace slotlock::unit
