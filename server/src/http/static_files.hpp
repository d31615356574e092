#pragma once
// The built web app: real files with their content type and caching headers;
// any other path gets index.html so that client-side routes work.

#include <boost/beast/http/message_generator.hpp>
#include <boost/url/url_view.hpp>

#include <filesystem>
#include <optional>

#include "http/router.hpp"

namespace slotlock {

class static_files {
 public:
  explicit static_files(std::filesystem::path root);

  // nullopt when nothing can be served: a hidden path, or no index.html either.
  std::optional<std::pair<http::message_generator, unsigned>> serve(const http_request& req,
                                                                    const boost::urls::url_view& url) const;

 private:
  // Dotfiles, dot-directories and source maps: 404, never the web app.
  static bool hidden(const boost::urls::url_view& url);
  // A file under root for the request path, or nullopt; never outside root.
  std::optional<std::filesystem::path> resolve(const boost::urls::url_view& url) const;

  std::filesystem::path root_;
};

}  // namespace slotlock
