#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/pipeline/calculation.hpp>

namespace evapo::tasks {

/// What a worker runs for one task: production wraps pipeline::run_calculation and returns
/// pipeline::to_json(result) ({"results","warnings","location"}: the SUCCESS data); tests inject
/// a controllable fake. It reports each step to `sink`, and should stop soon after
/// `*control.cancelled` turns true or `control.deadline` passes, returning Error::cancelled /
/// Error::timeout. Any error ends the task with ERROR (or TIMEOUT / CANCELLED for those codes).
using CalculationFn = std::function<domain::Expected<nlohmann::json>(
    const pipeline::CalculationRequest& request, pipeline::ProgressSink& sink,
    const pipeline::RunControl& control)>;

}  // namespace evapo::tasks
