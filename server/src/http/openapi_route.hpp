#pragma once
// GET /api/openapi.json: docs/openapi.yaml, turned into JSON when the server was built.

#include "http/router.hpp"

namespace slotlock {

void add_openapi_route(router& r);

}  // namespace slotlock
