#include "http/negotiation.hpp"

#include <algorithm>
#include <cstddef>

namespace slotlock {

namespace {

constexpr std::string_view ows = " \t";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(ows);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(ows) - first + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == y; });
}

// A qvalue in thousandths: "0", "0.5", "1", "1.000"; nullopt for anything else (RFC 9110 §12.4.2).
std::optional<int> parse_qvalue(std::string_view v) {
  if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return std::nullopt;
  if (v.size() == 1) return v[0] == '0' ? 0 : 1000;
  if (v[1] != '.') return std::nullopt;
  int n = v[0] == '0' ? 0 : 1000;
  int scale = 100;
  for (char c : v.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    if (v[0] == '1' && c != '0') return std::nullopt;
    n += (c - '0') * scale;
    scale /= 10;
  }
  return n;
}

// Each coding's q in thousandths; -1 where the header does not name it.
struct accepted {
  int br = -1;
  int gzip = -1;
  int identity = -1;
  int any = -1;
};

accepted parse_accept_encoding(std::string_view header) {
  accepted a;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view element = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);

    auto semi = element.find(';');
    const auto coding = trim(element.substr(0, semi));
    if (coding.empty()) continue;
    std::optional<int> q = 1000;
    while (semi != std::string_view::npos && q) {
      element = element.substr(semi + 1);
      semi = element.find(';');
      const auto param = element.substr(0, semi);
      const auto eq = param.find('=');
      if (eq == std::string_view::npos) {
        q.reset();
      } else if (iequals(trim(param.substr(0, eq)), "q")) {
        q = parse_qvalue(trim(param.substr(eq + 1)));
      }
    }
    if (!q) continue;  // a malformed element says nothing
    int* slot = iequals(coding, "br")                                  ? &a.br
                : iequals(coding, "gzip") || iequals(coding, "x-gzip") ? &a.gzip
                : iequals(coding, "identity")                          ? &a.identity
                : coding == "*"                                        ? &a.any
                                                                       : nullptr;
    // Named twice: the lower q stands, so that a refusal is never overridden.
    if (slot) *slot = *slot < 0 ? *q : std::min(*slot, *q);
  }
  return a;
}

}  // namespace

content_coding choose_coding(std::optional<std::string_view> accept_encoding, bool have_br, bool have_gzip) {
  if (!accept_encoding) return content_coding::identity;
  const auto a = parse_accept_encoding(*accept_encoding);
  auto q_of = [&](int named, int unnamed) { return named >= 0 ? named : a.any >= 0 ? a.any : unnamed; };
  // Identity is acceptable unless refused; unnamed, it is the least preferred.
  const int identity = q_of(a.identity, 1);
  const int br = have_br ? q_of(a.br, 0) : 0;
  const int gzip = have_gzip ? q_of(a.gzip, 0) : 0;
  if (br > 0 && br >= gzip && br >= identity) return content_coding::br;
  if (gzip > 0 && gzip >= identity) return content_coding::gzip;
  return content_coding::identity;
}

bool none_match(std::string_view header, std::string_view etag) {
  // The opaque part of our tag: weak comparison ignores W/ on either side.
  for (;;) {
    const auto start = header.find_first_not_of(" \t,");
    if (start == std::string_view::npos) return false;
    header.remove_prefix(start);
    if (header.front() == '*') return true;
    if (header.starts_with("W/")) header.remove_prefix(2);
    if (header.empty() || header.front() != '"') return false;
    const auto close = header.find('"', 1);
    if (close == std::string_view::npos) return false;
    if (header.substr(0, close + 1) == etag) return true;
    header.remove_prefix(close + 1);
  }
}

}  // namespace slotlock
