#pragma once

#include <nlohmann/json_fwd.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/pipeline/calculation.hpp>

namespace evapo::server {

/// Builds a CalculationRequest from the POST body object {"latitude","longitude","start_date",
/// "end_date"} plus optional "mode" (historical|recent|forecast), "sources" (array of source ids),
/// "method" ("penman_monteith", the only one) and "elevation_m". Every problem is reported, not
/// just the first: invalid_argument with one {"field","reason"} detail per problem (unknown
/// fields included), which the API answers as 422 VALIDATION_ERROR.
domain::Expected<pipeline::CalculationRequest> parse_calculation_request(
    const nlohmann::json& body);

}  // namespace evapo::server
