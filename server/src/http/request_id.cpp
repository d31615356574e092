#include "http/request_id.hpp"

#include <sodium.h>

#include <array>
#include <atomic>
#include <cstdint>

namespace slotlock {

namespace {

std::uint64_t process_prefix() {
  std::uint64_t p = 0;
  randombytes_buf(&p, sizeof p);
  return p;
}

void hex(std::string& out, std::uint64_t v, int digits) {
  static constexpr char digit[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += digit[(v >> shift) & 0xF];
}

}  // namespace

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == ':' || c == '/' || c == '+' || c == '=';
    if (!ok) return false;
  }
  return true;
}

std::string new_request_id() {
  static const std::uint64_t prefix = process_prefix();
  static std::atomic<std::uint64_t> counter{0};
  std::string id;
  id.reserve(24);
  hex(id, prefix, 12);  // 48 random bits
  hex(id, counter.fetch_add(1, std::memory_order_relaxed), 12);
  return id;
}

std::string request_id_of(const boost::beast::http::fields& request) {
  auto [it, end] = request.equal_range(request_id_header);
  if (it != end && std::next(it) == end && valid_request_id(it->value())) return std::string(it->value());
  return new_request_id();
}

}  // namespace slotlock
