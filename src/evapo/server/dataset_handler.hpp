#pragma once

#include <evapo/server/router.hpp>

namespace evapo::tasks {
class TaskService;
}

namespace evapo::server {

struct WorkspaceServices;

/// GET /api/v1/datasets, GET|DELETE /api/v1/datasets/{dataset_id},
/// GET /api/v1/datasets/{dataset_id}/rows, POST /api/v1/datasets/{dataset_id}/calculations,
/// and the streaming uploads POST /api/v1/datasets and POST /api/v1/datasets/{dataset_id}/rows
/// (RouteKind::upload, served by UploadSession). Every one needs a workspace key (or the admin
/// token); another workspace's dataset is 404.
void add_dataset_routes(Router& router, WorkspaceServices& services, tasks::TaskService& tasks);

}  // namespace evapo::server
