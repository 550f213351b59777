#pragma once

// Stage 1 of the fusion: per day and variable, an inverse-variance weighted ensemble of the
// sources, with prior error variances per source and variable. Pure; no I/O.

#include <array>
#include <cstdint>
#include <span>

#include <evapo/core/fusion_variables.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::core {

/// One source's value of one variable on one day with its error variance (units²).
struct SourceEstimate {
  domain::SourceId source = domain::SourceId::nasa_power;
  double value = domain::kMissing;
  double variance = domain::kMissing;
};

struct EnsembleOptions {
  /// A source further than this many combined standard deviations from the mean of the others
  /// has its variance inflated by (z / outlier_sigma)², so a spiking source is down-weighted and
  /// a disagreement widens the answer's variance.
  double outlier_sigma = 3.0;
};

struct EnsembleResult {
  double value = domain::kMissing;      // Σ w_i z_i / Σ w_i, w_i = 1 / σ_i²
  double variance = domain::kMissing;   // 1 / Σ w_i (after inflation)
  int count = 0;                        // sources that contributed
  std::uint32_t sources = 0;            // bit (1 << SourceId) per contributing source
  double max_disagreement_sigma = 0.0;  // largest leave-one-out z-score (0 with one source)
  bool inflated = false;                // some source was down-weighted as an outlier
  double weight_square_sum = 0.0;       // Σ ŵ_i² of the normalised weights (1 with one source)
};

/// Inverse-variance ensemble of `estimates`; entries with a missing value or a non-positive /
/// missing variance are ignored. With none left the result is missing with count 0; with one,
/// that value and variance as is.
EnsembleResult inverse_variance_ensemble(std::span<const SourceEstimate> estimates,
                                         const EnsembleOptions& options = {});

/// Which published weight set the priors come from.
enum class FusionContext {
  reanalysis,       // historical / recent: NASA POWER + Open-Meteo Archive (+ forecast gap-fill)
  forecast_usa,     // NWS 0.50, Open-Meteo 0.30, MET Norway 0.20
  forecast_nordic,  // MET Norway 0.80, Open-Meteo 0.20
  forecast_global,  // Open-Meteo 0.70, MET Norway 0.30
};

/// Prior error standard deviations per source and variable (units of the variable).
///
/// Derivation (documented in ARCHITECTURE.md, "Fusion priors"): inverse-variance weights are
/// w_i ∝ 1/σ_i², so a published weight set {w_i} over n sources is reproduced exactly by
/// σ_i² = s_v² / (n · w_i), where s_v is a typical daily error of a gridded product for
/// variable v against stations (Tmax/Tmin/Tdew 1.5 °C, RH 8 %, u2 0.8 m/s, Rs 2.5 MJ m-2,
/// precipitation 3 mm). With equal weights every source gets s_v. Reanalysis weights (NASA
/// share): Tmax 0.58, Tmin 0.52, Tdew/RH 0.35, u2 0.20, Rs 0.92, precipitation 0.50 (the
/// original's plain mean). Open-Meteo Forecast in reanalysis context only fills gaps: σ = 2 s_v.
/// Sources outside a weight set get the original's "unknown source" weight 0.1.
struct FusionPriors {
  std::array<std::array<double, kVariableCount>, 5> sd{};  // [SourceId][Variable]

  /// The defaults for a context, derived as above.
  static FusionPriors defaults(FusionContext context);

  /// σ² of `source` for `v`.
  double variance(domain::SourceId source, Variable v) const;
  void set_sd(domain::SourceId source, Variable v, double sd_value);
};

/// The typical daily error s_v used to scale the priors.
double typical_error_sd(Variable v);

/// The context for a point and mode: forecast contexts by the original's region boxes (USA:
/// lat 24..50, lon -125..-66; Nordic: lat 54..71.5, lon 4..32), reanalysis otherwise.
FusionContext fusion_context(double latitude_deg, double longitude_deg, bool forecast_mode);

}  // namespace evapo::core
