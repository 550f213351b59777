#pragma once

#include <evapo/server/router.hpp>

namespace evapo::server {

class ServerState;

/// The operations API (issue 13): WS /ws/events and its SSE twin GET /api/v1/events/stream,
/// GET /api/v1/ops/overview, the fusion priors (GET, POST a CSV to deploy, POST .../rollback,
/// GET .../{version} for a version's CSV), the dashboard's task table GET /api/v1/ops/tasks and
/// POST /api/v1/tasks/{task_id}/rerun. Changes and the task table are Access::admin
/// (access_policy.hpp); what reads a store runs on the blocking pool. Without an operations
/// channel in `state`, only the rerun route exists.
void add_ops_routes(Router& router, ServerState& state);

}  // namespace evapo::server
