#pragma once

#include <evapo/server/router.hpp>

namespace evapo::server {

class ServerState;

/// GET /metrics: the Prometheus text exposition of ServerState::metrics(), to which this adds
/// the task figures (tasks by state, queue depth, running tasks, live event subscriptions).
void add_metrics_routes(Router& router, ServerState& state);

}  // namespace evapo::server
