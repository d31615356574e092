#pragma once
// The HTTP side of a WebSocket: checks an upgrade request (route, Origin,
// ticket, sessionId) and answers in plain HTTP when it is refused, before
// any WebSocket exists.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <string>
#include <vector>

#include "http/router.hpp"
#include "ws/ws_session.hpp"

namespace slotlock {

class auth_service;
class lock_service;
class hub;
class metrics;
class write_batcher;

class ws_endpoint {
 public:
  ws_endpoint(hub& h, auth_service& auth, lock_service& locks, boost::asio::thread_pool& blocking,
              write_batcher& writes, std::vector<std::string> allowed_origins, metrics& stats, ws_limits limits = {});

  // Answers a refusal in plain HTTP, or accepts and starts a ws_session, which then lives on its
  // own (with the lease): nothing of the HTTP connection stays behind.
  boost::asio::awaitable<void> handle(boost::beast::tcp_stream stream, http_request req, std::string client_address,
                                      connection_lease lease);

 private:
  bool origin_allowed(const http_request& req) const;

  hub& hub_;
  auth_service& auth_;
  lock_service& locks_;
  boost::asio::thread_pool& blocking_;
  write_batcher& writes_;                     // redeeming a ticket uses it up
  std::vector<std::string> allowed_origins_;  // normalised: "scheme://host[:port]"
  metrics& stats_;
  std::shared_ptr<const ws_limits> limits_;  // shared by every session
};

}  // namespace slotlock
