#pragma once

// The numeric middle of a calculation, without I/O: preprocess each source on its own, fuse the
// sources per variable and day, compute ETo with its uncertainty and quality.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include <evapo/core/fusion.hpp>
#include <evapo/core/options.hpp>
#include <evapo/core/quality_control.hpp>
#include <evapo/core/source_error_model.hpp>
#include <evapo/domain/weather_day.hpp>
#include <evapo/pipeline/calculation.hpp>

namespace evapo::pipeline {

/// One source after cleaning: a dense day grid over the requested range.
struct PreparedSource {
  domain::SourceId source = domain::SourceId::nasa_power;
  std::vector<domain::WeatherDay> days;  // days[i].date = start + i
  core::QcReport qc;
};

/// Puts `series` on the dense grid [start, end] (days outside dropped, absent days all-missing)
/// and cleans it with core::clean_source_days (`options.elevation_m`: the point's).
PreparedSource prepare_source(const domain::WeatherSeries& series, domain::Date start,
                              domain::Date end, double latitude_deg,
                              const core::QcOptions& options = {});

/// Fused estimate of one variable on one day.
struct FusedValue {
  double value = domain::kMissing;
  double variance = domain::kMissing;
  int source_count = 0;
  std::uint32_t sources = 0;  // bit (1 << SourceId)
  double disagreement_sigma = 0.0;
  bool outlier_damped = false;  // the ensemble down-weighted a source disagreeing with the rest
  bool interpolated = false;    // no source observed it: the value is filled from neighbours
};

struct FusedDay {
  domain::Date date{};
  std::array<FusedValue, core::kVariableCount> values;
  double upstream_eto_mm = domain::kMissing;  // Open-Meteo's own ET0, comparison only

  const FusedValue& operator[](core::Variable v) const {
    return values[static_cast<std::size_t>(core::index_of(v))];
  }
};

struct FusionSettings {
  core::FusionPriors priors = core::FusionPriors::defaults(core::FusionContext::reanalysis);
  core::ErrorModelOptions error_model;
  core::EnsembleOptions ensemble;
};

/// Per variable, each source's error variance is learnt from the sources' disagreement over
/// the request (core::estimate_error_variances, priors from `settings`; precipitation keeps its
/// priors); then per day, the inverse-variance ensemble of the sources that have the day, a
/// filled value weighing with its fill variance added. A day's fused value depends only on that
/// day's values (and, for filled ones, their neighbours in the same source): the weather is not
/// smoothed. All sources must share one grid (same start and length).
std::vector<FusedDay> fuse_sources(std::span<const PreparedSource> sources,
                                   const FusionSettings& settings);

/// ETo (FAO-56 Eq. 6 via core::compute_daily, chapter-3 fallbacks flagged), its standard
/// deviation propagated from the fused variances (core::eto_sd_mm), P - ETo and quality for
/// each fused day.
std::vector<DailyResult> compute_results(std::span<const FusedDay> days, const core::Site& site);

}  // namespace evapo::pipeline
