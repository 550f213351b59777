#pragma once

// Fusion priors from a CSV file, overriding the defaults derived from the published weights.

#include <functional>
#include <string>
#include <string_view>

#include <evapo/core/fusion.hpp>
#include <evapo/domain/error.hpp>

namespace evapo::pipeline {

/// What PipelineContext::priors holds.
using PriorsProvider = std::function<core::FusionPriors(core::FusionContext)>;

/// Parses CSV text with the header `context,source,variable,sd` (context: reanalysis,
/// forecast_usa, forecast_nordic, forecast_global or * for all; source: a source id; variable:
/// tmax_c, tmin_c, tdew_c, rh_max_pct, rh_min_pct, rh_mean_pct, u2_m_s, rs_mj_m2, precip_mm or *
/// for all; sd > 0 in the variable's unit). Rows not listed keep FusionPriors::defaults.
/// invalid_argument naming the line for anything else.
domain::Expected<PriorsProvider> parse_priors_csv(std::string_view text);

/// parse_priors_csv on a file (e.g. $EVAPO_FUSION_PRIORS); not_found when unreadable.
domain::Expected<PriorsProvider> load_priors_csv(const std::string& path);

}  // namespace evapo::pipeline
