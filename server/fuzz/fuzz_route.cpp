// Request targets as http_server::dispatch reads them: parse_origin_form, then
// the API route table (the real one, add_api_routes), then the static files of a
// temporary web root. Whatever the target, no file outside the root is served.
//
// Input: first byte picks the method, the rest is the request target.
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/url/parse.hpp>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "http/api_routes.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace {

namespace fs = std::filesystem;
using slotlock::http::verb;

constexpr std::string_view secret = "SECRET-OUTSIDE-THE-WEB-ROOT";

struct fixture {
  slotlock::api_context context;
  slotlock::router routes;
  fs::path base;
  std::optional<slotlock::static_files> web;

  fixture() {
    // The real API table; no handler is called, so the context stays empty.
    slotlock::add_api_routes(routes, context);

    base = fs::temp_directory_path() / ("slotlock-fuzz-route-" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base / "www" / "assets");
    std::ofstream(base / "www" / "index.html") << "<!doctype html>index";
    std::ofstream(base / "www" / "assets" / "app.js") << "console.log(1)";
    std::ofstream(base / "secret.txt") << secret;
    std::error_code ec;
    fs::create_symlink(base / "secret.txt", base / "www" / "link.txt", ec);
    fs::create_directory_symlink(base, base / "www" / "up", ec);
    web.emplace(base / "www");
  }
  ~fixture() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
};

fixture& the_fixture() {
  static fixture f;
  return f;
}

constexpr std::array<verb, 8> methods{verb::get,     verb::head,  verb::post,    verb::put,
                                      verb::delete_, verb::patch, verb::options, verb::trace};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto& f = the_fixture();
  const verb method = methods[data[0] % methods.size()];
  const std::string_view target(reinterpret_cast<const char*>(data + 1), size - 1);

  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return 0;
  const auto url = *parsed;
  const std::string path = url.path();

  slotlock::http_request req{method, target, 11};
  if (path == "/api" || path.starts_with("/api/")) {
    auto m = f.routes.find(method, url);
    if (m.found) {
      if (!m.path_known) std::abort();
      slotlock::request_context ctx{req, url, "127.0.0.1", std::move(m.params), std::nullopt};
      for (const auto& [name, value] : ctx.params)
        if (value.empty() || ctx.param(name) != value) std::abort();
      (void)ctx.query("force");
      (void)ctx.query("before");
    }
    return 0;
  }
  if (method != verb::get && method != verb::head) return 0;
  auto served = f.web->serve(req, url);
  // Dotfiles, dot-directories, source maps and compressed copies by their own names are 404;
  // anything else gets at least index.html.
  bool hidden = path.ends_with(".map") || path.ends_with(".br") || path.ends_with(".gz");
  for (const auto& segment : url.segments()) hidden = hidden || segment.starts_with('.');
  if (!served) {
    if (!hidden) std::abort();
    return 0;
  }
  if (hidden) std::abort();
  auto& message = served->first;
  std::string bytes;
  boost::beast::error_code ec;
  while (!message.is_done()) {
    auto buffers = message.prepare(ec);
    if (ec) break;
    const auto chunk = boost::beast::buffers_to_string(buffers);
    bytes += chunk;
    message.consume(chunk.size());
  }
  if (bytes.find(secret) != std::string::npos) std::abort();
  return 0;
}
