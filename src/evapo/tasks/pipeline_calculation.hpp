#pragma once

// The production calculation of `evapo serve` workers: pipeline::run_calculation, its result
// shaped as the SUCCESS event data of issue 4.

#include <memory>

#include <nlohmann/json.hpp>

#include <evapo/pipeline/calculation.hpp>
#include <evapo/pipeline/pipeline_context.hpp>
#include <evapo/tasks/calculation_fn.hpp>

namespace evapo::tasks {

/// SUCCESS data: {"results": [one row per day], "warnings": [...], "location": {...}}, i.e.
/// pipeline::to_json(result) with its "days" array named "results".
nlohmann::json success_data(const pipeline::CalculationResult& result);

/// A CalculationFn running pipeline::run_calculation with `context` (kept alive by the function;
/// its HttpClient must outlive every call) and returning success_data of the result.
CalculationFn pipeline_calculation(std::shared_ptr<const pipeline::PipelineContext> context);

}  // namespace evapo::tasks
