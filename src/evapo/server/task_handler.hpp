#pragma once

#include <evapo/server/router.hpp>

namespace evapo::tasks {
class TaskService;
}

namespace evapo::server {

/// GET /api/v1/tasks/{task_id} (the task record: status, progress, step, result when done;
/// 404 for an unknown id), GET /api/v1/tasks?status=S&limit=N (most recent first) and
/// DELETE /api/v1/tasks/{task_id} (cancel; 200 with the record, unchanged if already finished).
void add_task_routes(Router& router, tasks::TaskService& tasks);

}  // namespace evapo::server
