#pragma once

#include <evapo/server/router.hpp>

namespace evapo::server {

class ServerState;

/// GET /api/v1/tasks/{task_id} (the task record: status, progress, step, result when done;
/// 404 for an unknown id), GET /api/v1/tasks?status=S&limit=N&cursor=C (a page of summaries,
/// most recent first; admin only) and DELETE /api/v1/tasks/{task_id} (cancel, with the task's
/// cancel token or the admin token as bearer, else 403; 200 with the record, unchanged if
/// already finished).
void add_task_routes(Router& router, ServerState& state);

}  // namespace evapo::server
