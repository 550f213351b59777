#pragma once

// Each source's error variance for one variable, learnt from how the sources disagree with each
// other over the days of one request (the three-cornered hat), shrunk toward the prior variance.
// Pure; no I/O. Method and references: ARCHITECTURE.md, "Fusion".

#include <span>
#include <vector>

namespace evapo::core {

/// One source's values of one variable on a common day grid (NaN = missing or not observed;
/// pass interpolated days as NaN so that only real observations teach the model).
struct SourceSeries {
  std::span<const double> values;
  double prior_variance = 1.0;  // units² of the variable; > 0
};

struct ErrorModelOptions {
  /// Weight of the prior against the data, in days: a source observed on m days gets
  /// σ² = (ν0·σ²_prior + m·σ̂²) / (ν0 + m).
  double prior_days = 30.0;
  /// The learnt variance never falls below this share of the prior: errors the sources share
  /// (the same assimilated observations, the grid cell against the point) do not show in
  /// their differences.
  double floor_share_of_prior = 0.25;
  /// A pair of sources needs at least this many common days to say anything.
  int min_common_days = 10;
};

/// What the sources' disagreement says about their errors.
struct SourceErrorModel {
  /// Each source's random error variance (same order as the sources).
  std::vector<double> variances;
  /// τ²: variance of the sources' constant biases, from the mean differences of the pairs
  /// (E[(b_i − b_j)²] = 2τ² for independent biases, as between-study heterogeneity in a
  /// random-effects meta-analysis, DerSimonian & Laird 1986); a fused value's bias then has
  /// variance τ² Σ ŵ_i². Shrunk like the variances (toward 0); 0 with fewer than two sources.
  double bias_variance = 0.0;
};

/// The error model of the sources of one variable.
///
/// For every pair (i, j) with enough common days, s²_ij is a robust variance of the daily
/// difference x_i − x_j (1.4826 × its median absolute deviation, so that isolated spikes, which
/// the per-day ensemble handles, do not inflate it). With independent errors,
/// s²_ij = σ²_i + σ²_j: with three or more sources the σ²_i follow by least squares over the
/// pairs (the three-cornered hat); with two, only their sum is known and it is split in the
/// ratio of the priors. Then each is shrunk toward its prior and floored as in the options.
/// With fewer than two usable sources the priors are returned unchanged.
SourceErrorModel estimate_error_model(std::span<const SourceSeries> sources,
                                      const ErrorModelOptions& options = {});

}  // namespace evapo::core
