#pragma once

// How a CalculationRequest is stored with its task, so that a task queued before a restart can
// be run after it.

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/pipeline/calculation.hpp>

namespace evapo::tasks {

/// {"latitude","longitude","start_date","end_date","mode","sources":[...],"elevation_m"?}
/// (dates "YYYY-MM-DD", mode "historical"|"recent"|"forecast", sources by their stable ids), and
/// for a dataset calculation "dataset": {"id","method","rso","timestamp","constants","compare"}
/// (the `evapo eto` option names).
nlohmann::json request_to_json(const pipeline::CalculationRequest& request);

/// Inverse of request_to_json. Errors: invalid_argument when a field is missing or malformed.
/// It checks shape only; range checks are the server's and the pipeline's.
domain::Expected<pipeline::CalculationRequest> request_from_json(const nlohmann::json& json);

}  // namespace evapo::tasks
