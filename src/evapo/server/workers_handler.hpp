#pragma once

#include <evapo/server/router.hpp>

namespace evapo::tasks {
class TaskService;
}

namespace evapo::server {

/// GET /api/v1/workers: the worker processes alive now (their heartbeats: worker_id, host, pid,
/// concurrency, running task ids, started_at, last_beat), {"workers": [...]}.
void add_worker_routes(Router& router, tasks::TaskService& tasks);

}  // namespace evapo::server
