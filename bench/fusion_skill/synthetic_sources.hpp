#pragma once

// Synthetic weather sources made from a true daily record: each adds its own bias, scale,
// autocorrelated noise, occasional spikes, slow drift and missing runs per variable, as a
// gridded product or a neglected station would. Deterministic for a given random engine.

#include <array>
#include <random>
#include <string>
#include <vector>

#include <evapo/core/fusion_variables.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::bench {

/// How one source errs on one variable: value = truth·scale + bias + drift·t + noise (+ spike),
/// noise AR(1) with lag-one correlation `rho` and standard deviation `noise_sd`, t the fraction
/// of the period elapsed. Radiation and wind are kept physical (>= 0) afterwards.
struct VariableError {
  double bias = 0.0;
  double scale = 1.0;
  double noise_sd = 0.0;
  double rho = 0.5;
  double drift = 0.0;              // added linearly from 0 at the start to `drift` at the end
  double spike_probability = 0.0;  // per day
  double spike_sd = 0.0;           // a spike adds ±(4..8)·spike_sd
};

struct SourceProfile {
  std::string name;
  domain::SourceId id = domain::SourceId::nasa_power;
  std::array<VariableError, core::kVariableCount> errors{};  // by core::Variable
  double missing_run_probability = 0.0;  // per day, a run of missing days starts
  int missing_run_max_days = 1;          // its length is uniform in 1..max

  VariableError& operator[](core::Variable v) {
    return errors[static_cast<std::size_t>(core::index_of(v))];
  }
  const VariableError& operator[](core::Variable v) const {
    return errors[static_cast<std::size_t>(core::index_of(v))];
  }
};

/// The four product types of the benchmark with literature-sized errors against a station
/// (README "Fusion skill"): a coarse reanalysis (NASA POWER-like), a fine one (ERA5-Land /
/// Open-Meteo archive-like), a forecast analysis (Open-Meteo forecast-like) and a nearby station
/// whose sensors drift and spike. Magnitudes and signs of the biases and noise levels are drawn
/// afresh from `random` around those sizes, so that no seed favours the method.
std::vector<SourceProfile> draw_profiles(int source_count, std::mt19937_64& random);

/// The series `profile` makes of `truth` (Tmax, Tmin, Tdew, u2, Rs; wind at 2 m).
domain::WeatherSeries make_source(const std::vector<domain::WeatherDay>& truth,
                                  const SourceProfile& profile, std::mt19937_64& random);

}  // namespace evapo::bench
