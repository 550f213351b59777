#pragma once

// How closely an estimate follows a reference series (gridded ETo against a station's), over
// the pairs where both have a value.

#include <cstddef>
#include <span>

namespace evapo::core {

/// Scores of `estimate` against `reference` (same length; pairs with a NaN on either side are
/// left out). NaN where undefined (no pair; r and KGE need two pairs and non-constant series).
struct Agreement {
  std::size_t pairs = 0;
  double bias = 0.0;       // mean(estimate - reference)
  double rmse = 0.0;       // sqrt(mean((estimate - reference)^2))
  double r_squared = 0.0;  // squared Pearson correlation
  double kge = 0.0;        // Kling-Gupta efficiency, Gupta et al. (2009) Eq. 9
  double reference_mean = 0.0;
  double estimate_mean = 0.0;
};

Agreement agreement(std::span<const double> reference, std::span<const double> estimate);

}  // namespace evapo::core
