#pragma once

// The fusion that issue 10 replaced, kept here only so the skill benchmark can report it: the
// ensemble with fixed prior variances, then a forward random-walk Kalman filter over the days
// (process sd Tmax/Tmin/Tdew 3 °C, RH 10 %, u2 1 m/s, Rs 4 MJ m-2) with innovations beyond
// 3√S damped.

#include <span>
#include <vector>

#include <evapo/pipeline/daily_fusion.hpp>

namespace evapo::bench {

std::vector<pipeline::FusedDay> old_fuse_sources(std::span<const pipeline::PreparedSource> sources,
                                                 const core::FusionPriors& priors);

}  // namespace evapo::bench
