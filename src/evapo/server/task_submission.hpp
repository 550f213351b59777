#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include <evapo/pipeline/calculation.hpp>
#include <evapo/server/http_types.hpp>

namespace evapo::server {

class ServerState;

/// Stores `calculation` as a new task and returns its id, or the answer to give instead: 503
/// QUEUE_FULL with Retry-After when max_queued_tasks already wait (the rate limit is per
/// address; this bound holds however many addresses send), the store's error otherwise. Every
/// route that starts a task goes through here.
tl::expected<std::string, HttpResponse> queue_task(ServerState& state, const HttpRequest& request,
                                                   const pipeline::CalculationRequest& calculation);

/// 202 {"task_id","status":"queued","message","cancel_token","links":{"self","events",
/// "websocket"}} plus `extra`'s members, with Location. The cancel token is the only way
/// (besides the admin token) to cancel the task; it is not shown again.
HttpResponse task_accepted(ServerState& state, const HttpRequest& request,
                           const std::string& task_id,
                           const nlohmann::json& extra = nlohmann::json::object());

}  // namespace evapo::server
