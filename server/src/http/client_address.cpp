#include "http/client_address.hpp"

#include <stdexcept>

namespace slotlock {

namespace ip = boost::asio::ip;

namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

// One X-Forwarded-For entry: an address, IPv6 possibly in brackets.
bool parse_hop(std::string_view text, ip::address& out) {
  text = trim(text);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  boost::system::error_code ec;
  out = ip::make_address(text, ec);
  if (ec) return false;
  out = unmapped(out);
  return true;
}

}  // namespace

ip::address unmapped(const ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  return a;
}

address_set::address_set(const std::vector<std::string>& cidrs, std::string_view flag) {
  for (const auto& text : cidrs) {
    boost::system::error_code ec;
    const auto slash = text.find('/');
    if (slash == std::string::npos) {
      const auto a = unmapped(ip::make_address(text, ec));
      if (!ec && a.is_v4())
        v4_.push_back(ip::make_network_v4(a.to_v4(), 32));
      else if (!ec)
        v6_.push_back(ip::make_network_v6(a.to_v6(), 128));
    } else if (text.find(':') == std::string::npos) {
      v4_.push_back(ip::make_network_v4(text, ec).canonical());
    } else {
      const auto n = ip::make_network_v6(text, ec);
      if (!ec) v6_.push_back(ip::make_network_v6(n.network(), n.prefix_length()));
    }
    if (ec)
      throw std::invalid_argument(std::string(flag) + " " + text + " is not an address or a CIDR such as 10.0.0.0/8");
  }
}

bool address_set::contains(std::string_view address) const {
  boost::system::error_code ec;
  const auto a = ip::make_address(address, ec);
  return !ec && contains(a);
}

bool address_set::contains(const ip::address& address) const {
  const auto a = unmapped(address);
  if (a.is_v4()) {
    const auto host = ip::make_network_v4(a.to_v4(), 32);
    for (const auto& n : v4_)
      if (host == n || host.is_subnet_of(n)) return true;
  } else {
    const auto host = ip::make_network_v6(a.to_v6(), 128);
    for (const auto& n : v6_)
      if (host == n || host.is_subnet_of(n)) return true;
  }
  return false;
}

std::string trusted_proxies::client_address(const ip::address& peer, std::string_view forwarded_for) const {
  ip::address client = unmapped(peer);
  if (!contains(client)) return client.to_string();
  // Right to left: each entry was appended by the hop after it.
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const auto entry = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    if (trim(entry).empty()) continue;
    ip::address hop;
    if (!parse_hop(entry, hop)) break;  // garbage: nothing to its left can be believed
    client = hop;
    if (!contains(hop)) break;
  }
  return client.to_string();
}

}  // namespace slotlock
