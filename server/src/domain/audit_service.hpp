#pragma once
// Reading the audit trail (admins only; the checks are the caller's). Rows are written by the
// lock service in the same transaction as the change they record.

#include <vector>

#include "domain/audit.hpp"

namespace slotlock {

class store;

class audit_service {
 public:
  explicit audit_service(store& s) : store_(s) {}

  // Newest first, filtered and paged by `filter`.
  std::vector<audit_entry> list(const audit_filter& filter);

 private:
  store& store_;
};

}  // namespace slotlock
