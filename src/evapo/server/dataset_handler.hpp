#pragma once

#include <evapo/server/router.hpp>

namespace evapo::server {

class ServerState;
struct WorkspaceServices;

/// GET /api/v1/datasets, GET|DELETE /api/v1/datasets/{dataset_id},
/// GET /api/v1/datasets/{dataset_id}/rows, POST /api/v1/datasets/{dataset_id}/calculations,
/// and the streaming uploads POST /api/v1/datasets and POST /api/v1/datasets/{dataset_id}/rows
/// (RouteKind::upload, served by UploadSession). Every one needs a workspace key (or the admin
/// token); another workspace's dataset is 404. They read the stores on the blocking pool; a
/// calculation is queued like a map calculation (task_submission.hpp).
void add_dataset_routes(Router& router, WorkspaceServices& services, ServerState& state);

}  // namespace evapo::server
