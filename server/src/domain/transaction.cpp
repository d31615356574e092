#include "domain/transaction.hpp"

#include <memory>

#include "domain/error.hpp"
#include "domain/store.hpp"

namespace slotlock {

namespace {

// A conditional write loses only when another writer changed the same row between our read
// and our write; a handful of tries always suffices unless something hammers that row.
constexpr int max_attempts = 16;

}  // namespace

void transact_with_events(store& s, event_bus& bus, const std::function<step(store_tx&, std::vector<event>&)>& work,
                          std::function<void(const std::vector<event>&)> committed) {
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    step outcome = step::rollback;
    s.transact([&](store_tx& tx) {
      auto events = std::make_shared<std::vector<event>>();
      outcome = work(tx, *events);
      if (outcome != step::commit) return false;
      for (const auto& e : *events) bus.publish_in(tx, e);
      tx.after_commit([&bus, events, committed] {
        if (committed) committed(*events);
        for (const auto& e : *events) bus.publish_committed(e);
      });
      return true;
    });
    if (outcome != step::retry) return;
  }
  throw busy_error("the same rows kept changing under this write; gave up after " + std::to_string(max_attempts) +
                   " tries");
}

}  // namespace slotlock
