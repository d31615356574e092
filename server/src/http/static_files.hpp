#pragma once
// The built web app: real files with their content type and caching headers, precompressed
// copies chosen by Accept-Encoding, ETag and If-None-Match; any other path gets index.html so
// that client-side routes work.

#include <boost/beast/http/message_generator.hpp>
#include <boost/url/url_view.hpp>

#include <filesystem>
#include <optional>
#include <string_view>

#include "http/router.hpp"

namespace slotlock {

class static_files {
 public:
  explicit static_files(std::filesystem::path root);

  // nullopt when nothing can be served: a hidden path, or no index.html either.
  std::optional<std::pair<http::message_generator, unsigned>> serve(const http_request& req,
                                                                    const boost::urls::url_view& url) const;

 private:
  // Dotfiles, dot-directories, source maps and the .br/.gz copies by their own name: 404,
  // never the web app.
  static bool hidden(const boost::urls::url_view& url);
  // A file under root for the request path, or nullopt; never outside root.
  std::optional<std::filesystem::path> resolve(const boost::urls::url_view& url) const;
  // `file` + suffix (".br", ".gz") when the build wrote that copy; never outside root.
  std::optional<std::filesystem::path> compressed_copy(const std::filesystem::path& file,
                                                       std::string_view suffix) const;
  // `p`'s real path when it is a regular file under root (symbolic links resolved); else nullopt.
  std::optional<std::filesystem::path> regular_file_inside(const std::filesystem::path& p) const;

  std::filesystem::path root_;
};

}  // namespace slotlock
