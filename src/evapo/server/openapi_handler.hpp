#pragma once

#include <string_view>

#include <evapo/server/router.hpp>

namespace evapo::server {

/// The OpenAPI 3.1 description of the API: docs/openapi.json, embedded at build time.
std::string_view openapi_document();

/// GET /openapi.json: openapi_document().
void add_openapi_routes(Router& router);

}  // namespace evapo::server
