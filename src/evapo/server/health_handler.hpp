#pragma once

#include <evapo/server/router.hpp>

namespace evapo::server {

class ServerState;

/// GET /healthz (200 while the process serves) and GET /readyz (200 when the task store answers
/// and the server is not shutting down, else 503).
void add_health_routes(Router& router, ServerState& state);

}  // namespace evapo::server
