#include "http/static_files.hpp"

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>

#include <array>
#include <utility>

#include "http/security_headers.hpp"

namespace slotlock {

namespace fs = std::filesystem;

namespace {

std::string_view content_type(const fs::path& p) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> types{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  const auto ext = p.extension().string();
  for (const auto& [e, t] : types)
    if (e == ext) return t;
  return "application/octet-stream";
}

}  // namespace

static_files::static_files(fs::path root) : root_(fs::weakly_canonical(std::move(root))) {}

bool static_files::hidden(const boost::urls::url_view& url) {
  // Dotfiles (.env, .git/) are never part of a build, and source maps give the source away:
  // neither is served, nor replaced by index.html.
  for (auto segment : url.segments())
    if (segment.starts_with('.')) return true;
  const auto path = url.path();
  return path.ends_with(".map");
}

std::optional<fs::path> static_files::resolve(const boost::urls::url_view& url) const {
  fs::path p = root_;
  for (auto segment : url.segments()) {
    // Decoded segments: "%2e%2e" arrives here as "..", "%2f" as "/".
    if (segment.empty() || segment == "." || segment == ".." ||
        segment.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos)
      return std::nullopt;
    p /= std::string(segment);
  }
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return std::nullopt;
  // Symbolic links could still point out of root: compare the real paths.
  const auto real = fs::canonical(p, ec);
  if (ec) return std::nullopt;
  const auto rel = real.lexically_relative(root_);
  if (rel.empty() || *rel.begin() == "..") return std::nullopt;
  return real;
}

std::optional<std::pair<http::message_generator, unsigned>> static_files::serve(
    const http_request& req, const boost::urls::url_view& url) const {
  if (hidden(url)) return std::nullopt;
  auto file = resolve(url);
  bool fallback = false;
  if (!file) {
    file = root_ / "index.html";
    fallback = true;
  }
  http::file_body::value_type body;
  boost::beast::error_code ec;
  body.open(file->c_str(), boost::beast::file_mode::scan, ec);
  if (ec) return std::nullopt;

  http::response<http::file_body> res{http::status::ok, req.version()};
  res.set(http::field::content_type, content_type(*file));
  // Vite names assets by their content hash: they never change.
  const bool immutable = !fallback && url.segments().size() > 1 && url.segments().front() == "assets";
  res.set(http::field::cache_control, immutable ? "public, max-age=31536000, immutable" : "no-cache");
  add_security_headers(res);
  res.keep_alive(req.keep_alive());
  if (req.method() == http::verb::head) {
    res.content_length(body.size());
    return std::pair{http::message_generator(http::response<http::empty_body>(res.base())), 200u};
  }
  res.body() = std::move(body);
  res.prepare_payload();
  return std::pair{http::message_generator(std::move(res)), 200u};
}

}  // namespace slotlock
