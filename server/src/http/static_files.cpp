#include "http/static_files.hpp"

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>

#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <utility>

#include "http/negotiation.hpp"
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

// Strong, and one per representation: size and modification time (ns) of the file actually
// sent, plus the coding. No hashing on the request path and no cache to keep in step: a rebuilt
// file gets a new time, and Vite's hashed names change with the content anyway. Empty when the
// file cannot be inspected: then no ETag at all rather than a wrong one.
std::string entity_tag(http::file_body::value_type& body, content_coding coding) {
  struct stat st {};
  if (::fstat(body.file().native_handle(), &st) != 0) return {};
  const auto ns = static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1'000'000'000ULL +
                  static_cast<unsigned long long>(st.st_mtim.tv_nsec);
  const char* suffix = coding == content_coding::br ? "-br" : coding == content_coding::gzip ? "-gz" : "";
  char tag[64];
  std::snprintf(tag, sizeof tag, "\"%llx-%llx%s\"", static_cast<unsigned long long>(st.st_size), ns, suffix);
  return tag;
}

}  // namespace

static_files::static_files(fs::path root) : root_(fs::weakly_canonical(std::move(root))) {}

bool static_files::hidden(const boost::urls::url_view& url) {
  // Dotfiles (.env, .git/) are never part of a build, and source maps give the source away:
  // none is served, nor replaced by index.html.
  for (auto segment : url.segments())
    if (segment.starts_with('.')) return true;
  // A .br/.gz copy is another representation of its original, not a resource of its own: served
  // by its own name it would reach the client as an opaque download (or, sent as the original's
  // type, be mistaken for it). The web app ships no compressed files of its own.
  const auto path = url.path();
  return path.ends_with(".map") || path.ends_with(".br") || path.ends_with(".gz");
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
  return regular_file_inside(p);
}

std::optional<fs::path> static_files::compressed_copy(const fs::path& file, std::string_view suffix) const {
  fs::path copy = file;
  copy += suffix;
  return regular_file_inside(copy);
}

std::optional<fs::path> static_files::regular_file_inside(const fs::path& p) const {
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

  // The build writes X.br and X.gz beside X (web/scripts/compress-dist.mjs); they are served in
  // X's place to clients that accept them, never compressed here.
  const auto br = compressed_copy(*file, ".br");
  const auto gz = compressed_copy(*file, ".gz");
  auto coding = choose_coding(header_lines(req, http::field::accept_encoding), br.has_value(), gz.has_value());

  http::file_body::value_type body;
  boost::beast::error_code ec;
  if (coding != content_coding::identity) {
    body.open((coding == content_coding::br ? *br : *gz).c_str(), boost::beast::file_mode::scan, ec);
    if (ec) coding = content_coding::identity;  // gone since we looked: the file itself will do
  }
  if (coding == content_coding::identity) {
    ec = {};
    body.open(file->c_str(), boost::beast::file_mode::scan, ec);
  }
  if (ec) return std::nullopt;

  http::response<http::empty_body> res{http::status::ok, req.version()};
  res.set(http::field::content_type, content_type(*file));
  if (coding != content_coding::identity)
    res.set(http::field::content_encoding, coding == content_coding::br ? "br" : "gzip");
  // Whether or not a copy was chosen, the answer depended on Accept-Encoding: caches must know.
  if (br || gz) res.set(http::field::vary, "Accept-Encoding");
  const auto tag = entity_tag(body, coding);
  if (!tag.empty()) res.set(http::field::etag, tag);
  // Vite names assets by their content hash: they never change.
  const bool immutable = !fallback && url.segments().size() > 1 && url.segments().front() == "assets";
  res.set(http::field::cache_control, immutable ? "public, max-age=31536000, immutable" : "no-cache");
  add_answer_headers(req, res);
  res.keep_alive(req.keep_alive());

  if (const auto inm = header_lines(req, http::field::if_none_match); inm && !tag.empty() && none_match(*inm, tag)) {
    // ETag, Cache-Control and Vary stay (RFC 9110 §15.4.5); the body's own metadata goes.
    res.result(http::status::not_modified);
    res.erase(http::field::content_type);
    res.erase(http::field::content_encoding);
    return std::pair{http::message_generator(std::move(res)), 304u};
  }
  if (req.method() == http::verb::head) {
    res.content_length(body.size());
    return std::pair{http::message_generator(std::move(res)), 200u};
  }
  http::response<http::file_body> full{std::move(res.base()), std::move(body)};
  full.prepare_payload();
  return std::pair{http::message_generator(std::move(full)), 200u};
}

}  // namespace slotlock
