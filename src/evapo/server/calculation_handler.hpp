#pragma once

#include <memory>

#include <evapo/server/router.hpp>

namespace evapo::sources {
class LandMask;
}

namespace evapo::server {

class ServerState;

/// POST /api/v1/eto/calculations and the original's POST /internal/eto/eto_calculate: validates
/// the body (415 unless Content-Type is application/json, 400 malformed JSON, 422
/// VALIDATION_ERROR with details; with `land`, 422 over_sea for a point over the sea unless the
/// body says "allow_sea": true), stores the task and answers 202 {"task_id","status":"queued",
/// "message","cancel_token","links":{"self","events","websocket"}} at once. The cancel token is
/// the only way (besides the admin token) to cancel the task; it is not shown again.
void add_calculation_routes(Router& router, ServerState& state,
                            std::shared_ptr<const sources::LandMask> land = nullptr);

}  // namespace evapo::server
