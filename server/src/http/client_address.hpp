#pragma once
// Who is asking: the peer's address, or — when the peer is a proxy we were told to trust
// (--trusted-proxy) — the address that proxy says it serves, from X-Forwarded-For.
// Sign-in limits are keyed by it, so behind nginx users do not share one address.

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace slotlock {

// Addresses given as CIDRs ("10.0.0.0/8", "::1/128") or single addresses.
class address_set {
 public:
  address_set() = default;
  // Throws std::invalid_argument naming `flag` and the first entry that is neither.
  address_set(const std::vector<std::string>& cidrs, std::string_view flag);

  bool empty() const { return v4_.empty() && v6_.empty(); }
  bool contains(const boost::asio::ip::address& a) const;
  // An address in text form (as client_address() gives it); false when it is not one.
  bool contains(std::string_view address) const;

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

class trusted_proxies {
 public:
  trusted_proxies() = default;
  // Throws std::invalid_argument naming the first entry that is not an address or a CIDR.
  explicit trusted_proxies(const std::vector<std::string>& cidrs) : proxies_(cidrs, "--trusted-proxy") {}

  bool empty() const { return proxies_.empty(); }
  bool contains(const boost::asio::ip::address& a) const { return proxies_.contains(a); }

  // The peer's address unless the peer is trusted; then X-Forwarded-For read from the right:
  // the first address that is not a trusted proxy (one a client cannot have forged, since each
  // trusted proxy appends the address it was reached from). If every hop is trusted, the
  // left-most; if the header is absent or an entry is not an address, the last trusted hop.
  std::string client_address(const boost::asio::ip::address& peer, std::string_view forwarded_for) const;

 private:
  address_set proxies_;
};

// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it carries.
boost::asio::ip::address unmapped(const boost::asio::ip::address& a);

}  // namespace slotlock
