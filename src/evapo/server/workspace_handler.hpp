#pragma once

#include <evapo/server/router.hpp>

namespace evapo::server {

struct WorkspaceServices;

/// POST /api/v1/workspaces (a new workspace and its key, shown once) and
/// GET /api/v1/workspaces/current (the workspace of the bearer key, with its counts).
void add_workspace_routes(Router& router, WorkspaceServices& services);

}  // namespace evapo::server
