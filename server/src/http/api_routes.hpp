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

// What the handlers need, owned by the application.
struct api_context {
  auth_service& auth;
  user_service& users;
  appointment_service& appointments;
  lock_service& locks;
  audit_service& audit;
  metrics& stats;
  const clock& time;
  boost::asio::thread_pool& blocking;  // reads
  write_batcher& writes;               // writes, committed in batches
  // The holder's pointer, known to the real-time hub; fills a lock's `position`.
  std::function<std::optional<pointer_position>(const lock_record&)> position_of;
  // Password hashing and checking (argon2id): sign-in, and passwords set through /api/users.
  bounded_pool& sign_in;
};

void add_api_routes(router& r, api_context& ctx);

}  // namespace slotlock
