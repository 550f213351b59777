#pragma once

// The production calculation of `evapo serve` workers: pipeline::run_calculation, its result
// shaped as the SUCCESS event data of issue 4.

#include <memory>

#include <nlohmann/json.hpp>

#include <evapo/pipeline/calculation.hpp>
#include <evapo/pipeline/pipeline_context.hpp>
#include <evapo/tasks/calculation_fn.hpp>

namespace evapo::tasks {

/// {"latitude","longitude","start_date","end_date","days","days_with_eto","eto_total_mm",
/// "eto_mean_mm"} (dates null without days, ETo figures null when no day has one): what the
/// operations channel reports of a finished task. Numbers and null only, dates aside.
nlohmann::json success_summary(const pipeline::CalculationResult& result);

/// SUCCESS data: {"results": [one row per day], "warnings": [...], "location": {...},
/// "summary": success_summary}, i.e. pipeline::to_json(result) with its "days" array named
/// "results", and the summary.
nlohmann::json success_data(const pipeline::CalculationResult& result);

/// A CalculationFn running pipeline::run_calculation with `context` (kept alive by the function;
/// its HttpClient must outlive every call) and returning success_data of the result.
CalculationFn pipeline_calculation(std::shared_ptr<const pipeline::PipelineContext> context);

}  // namespace evapo::tasks
