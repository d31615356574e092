#include "http/openapi_route.hpp"

#include "openapi_json.hpp"

namespace slotlock {

// Apart from api_routes.cpp, so that the fuzz build, which compiles the route table, needs no
// generated document.
void add_openapi_route(router& r) {
  r.add({http::verb::get, "/api/openapi.json",
         [](request_context& c) -> boost::asio::awaitable<http_response> {
           co_return json_response(c.req, http::status::ok, std::string(openapi_json, sizeof openapi_json - 1));
         },
         true});
}

}  // namespace slotlock
