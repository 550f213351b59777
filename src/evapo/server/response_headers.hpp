#pragma once

#include <string_view>

#include <evapo/server/http_types.hpp>

namespace evapo::server {

/// What every answer carries, whichever session writes it: CORS headers for `cors_origin`
/// (from AccessPolicy::cors_origin; empty: none), nosniff, and a Content-Security-Policy (the
/// web app's for HTML, which may not be framed either; one that loads nothing otherwise).
void add_response_headers(HttpResponse& response, std::string_view cors_origin);

}  // namespace evapo::server
