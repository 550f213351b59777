#pragma once

// The one JSON form of a CalculationRequest: the body of POST /api/v1/eto/calculations and the
// copy stored with each task (run again after a restart) are the same document, read by the
// same decoder.

#include <nlohmann/json_fwd.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/pipeline/calculation.hpp>

namespace evapo::pipeline {

/// Who wrote the document: a client's POST body may not name a station dataset (that is
/// POST /api/v1/datasets/{id}/calculations, which checks the workspace); the stored copy may.
enum class RequestOrigin { client, stored };

/// {"latitude","longitude","start_date","end_date","mode","sources":[...],"elevation_m"?}: dates
/// "YYYY-MM-DD", mode "historical"|"recent"|"forecast", sources by their stable ids; a dataset's
/// calculation adds "dataset": {"id","method","rso","timestamp","constants","compare"} (the
/// `evapo eto` option names). What it writes, parse_calculation_request reads back equal (a
/// dataset's with RequestOrigin::stored).
nlohmann::json request_to_json(const CalculationRequest& request);

/// Builds a CalculationRequest from {"latitude","longitude","start_date","end_date"} plus
/// optional "mode" (historical|recent|forecast), "sources" (array of source ids), "method"
/// ("penman_monteith", the only one) and "elevation_m"; null counts as absent. Checks shape and
/// physical ranges (latitude -90..90, longitude -180..180, elevation -500..9000 m, end not
/// before start); the date-window rules are validate()'s. Every problem is reported, not just
/// the first: invalid_argument with one {"field","reason"} detail per problem (unknown fields
/// included), which the API answers as 422 VALIDATION_ERROR. "dataset" is read only from
/// RequestOrigin::stored (from a client it is an unknown field).
domain::Expected<CalculationRequest> parse_calculation_request(
    const nlohmann::json& body, RequestOrigin origin = RequestOrigin::client);

}  // namespace evapo::pipeline
