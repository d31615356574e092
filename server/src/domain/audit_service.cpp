#include "domain/audit_service.hpp"

#include "domain/store.hpp"

namespace slotlock {

std::vector<audit_entry> audit_service::list(const audit_filter& filter) { return store_.list_audit(filter); }

}  // namespace slotlock
