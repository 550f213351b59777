#pragma once

#include <evapo/server/router.hpp>

namespace evapo::server {

struct WorkspaceServices;

/// POST|GET /api/v1/sites, GET|PATCH|DELETE /api/v1/sites/{site_id},
/// GET /api/v1/sites/{site_id}/history[?format=csv]: monitored sites of the caller's workspace
/// (another workspace's site is 404), with site_created / site_updated / site_deleted events.
void add_site_routes(Router& router, WorkspaceServices& services);

}  // namespace evapo::server
