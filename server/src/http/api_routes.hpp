#pragma once
// The JSON API of PRODUCT.md section 2 as a route table.

#include <boost/asio/thread_pool.hpp>

#include <functional>
#include <optional>

#include "domain/lock.hpp"

#include "http/router.hpp"

namespace slotlock {

class auth_service;
class user_service;
class appointment_service;
class lock_service;
class audit_service;
class metrics;
class clock;
class bounded_pool;
class write_batcher;

// What the handlers need, owned by the application. Pointers, so that the route table can be
// registered without a server behind it (the route fuzzer matches against the real table and
// never calls a handler); the application sets every one.
struct api_context {
  auth_service* auth = nullptr;
  user_service* users = nullptr;
  appointment_service* appointments = nullptr;
  lock_service* locks = nullptr;
  audit_service* audit = nullptr;
  metrics* stats = nullptr;
  const clock* time = nullptr;
  boost::asio::thread_pool* blocking = nullptr;  // reads
  write_batcher* writes = nullptr;               // writes, committed in batches
  // The holder's pointer, known to the real-time hub; fills a lock's `position`.
  std::function<std::optional<pointer_position>(const lock_record&)> position_of;
  // Password hashing and checking (argon2id): sign-in, and passwords set through /api/users.
  bounded_pool* sign_in = nullptr;
  // Readiness (GET /readyz): one bounded round trip to the store; throws store_error when it fails.
  std::function<void()> check_store;
  // What the web app is told before sign-in (GET /api/config).
  std::string time_zone = "UTC";
  bool demo = false;
};

// The API's routes (PRODUCT.md section 2), each handler using `ctx`, which must outlive `r`.
void add_api_routes(router& r, const api_context& ctx);

}  // namespace slotlock
