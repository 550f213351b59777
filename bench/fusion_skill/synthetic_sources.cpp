#include "synthetic_sources.hpp"

#include <algorithm>
#include <cmath>

namespace evapo::bench {

using core::Variable;

namespace {

constexpr Variable kErrVariables[] = {Variable::tmax_c, Variable::tmin_c, Variable::tdew_c,
                                      Variable::u2_m_s, Variable::rs_mj_m2};

double uniform(std::mt19937_64& random, double low, double high) {
  return std::uniform_real_distribution<double>(low, high)(random);
}

double random_sign(std::mt19937_64& random) {
  return uniform(random, 0.0, 1.0) < 0.5 ? -1.0 : 1.0;
}

// Typical daily error sizes against a station: |bias|, noise sd (and for wind and Rs a scale
// error) of each product type, per variable.
struct ErrorSize {
  double bias;
  double noise_sd;
  double scale_error;
};

struct ProductType {
  const char* name;
  domain::SourceId id;
  ErrorSize tmax, tmin, tdew, u2, rs;
  double spike_probability;
  double missing_run_probability;
  int missing_run_max_days;
  bool drifts;
};

// The two reanalyses follow the ordering of the published weights the priors come from (NASA
// POWER better for Tmax and much better for Rs, the archive better for humidity and wind, equal
// for Tmin), with realistic sizes; the forecast analysis and the station are better than their
// priors say (the priors treat them as gap fillers), which only the data can reveal.
constexpr ProductType kTypes[] = {
    {"coarse reanalysis",
     domain::SourceId::nasa_power,
     {0.8, 1.3, 0},
     {1.2, 1.8, 0},
     {1.2, 2.0, 0},
     {0.0, 0.7, 0.25},
     {0.4, 1.6, 0.03},
     0.005,
     0.010,
     5,
     false},
    {"fine reanalysis",
     domain::SourceId::open_meteo_archive,
     {0.8, 1.5, 0},
     {1.2, 1.8, 0},
     {0.8, 1.4, 0},
     {0.0, 0.4, 0.12},
     {1.0, 3.0, 0.06},
     0.005,
     0.010,
     5,
     false},
    {"forecast analysis",
     domain::SourceId::open_meteo_forecast,
     {0.6, 1.5, 0},
     {1.0, 1.8, 0},
     {0.8, 1.6, 0},
     {0.0, 0.6, 0.15},
     {1.0, 2.5, 0.05},
     0.01,
     0.015,
     7,
     false},
    {"drifting station",
     domain::SourceId::met_norway,
     {0.3, 0.6, 0},
     {0.3, 0.8, 0},
     {0.3, 0.8, 0},
     {0.0, 0.4, 0.05},
     {0.3, 1.2, 0.02},
     0.02,
     0.02,
     10,
     true},
};

VariableError draw(const ErrorSize& size, std::mt19937_64& random, double spike_probability) {
  VariableError e;
  e.bias = random_sign(random) * size.bias * uniform(random, 0.5, 1.5);
  e.scale = 1.0 + random_sign(random) * size.scale_error * uniform(random, 0.5, 1.5);
  e.noise_sd = size.noise_sd * uniform(random, 0.8, 1.25);
  e.rho = uniform(random, 0.3, 0.6);
  e.spike_probability = spike_probability;
  e.spike_sd = std::max(size.noise_sd, 1.0);
  return e;
}

}  // namespace

std::vector<SourceProfile> draw_profiles(int source_count, std::mt19937_64& random) {
  std::vector<SourceProfile> profiles;
  for (int i = 0; i < source_count && i < 4; ++i) {
    const ProductType& type = kTypes[i];
    SourceProfile p;
    p.name = type.name;
    p.id = type.id;
    p[Variable::tmax_c] = draw(type.tmax, random, type.spike_probability);
    p[Variable::tmin_c] = draw(type.tmin, random, type.spike_probability);
    p[Variable::tdew_c] = draw(type.tdew, random, type.spike_probability);
    p[Variable::u2_m_s] = draw(type.u2, random, type.spike_probability);
    p[Variable::rs_mj_m2] = draw(type.rs, random, type.spike_probability);
    for (Variable v : {Variable::tmax_c, Variable::tmin_c, Variable::tdew_c}) p[v].scale = 1.0;
    if (type.drifts) {
      // The hygrometer and the pyranometer age over the period.
      p[Variable::tdew_c].drift = random_sign(random) * uniform(random, 2.0, 4.0);
      p[Variable::rs_mj_m2].drift = -uniform(random, 2.0, 4.0);
    }
    p.missing_run_probability = type.missing_run_probability;
    p.missing_run_max_days = type.missing_run_max_days;
    profiles.push_back(p);
  }
  return profiles;
}

domain::WeatherSeries make_source(const std::vector<domain::WeatherDay>& truth,
                                  const SourceProfile& profile, std::mt19937_64& random) {
  domain::WeatherSeries series;
  series.source = profile.id;
  const std::size_t n = truth.size();
  std::normal_distribution<double> unit(0.0, 1.0);
  series.days = truth;
  for (auto& day : series.days) {
    for (Variable v : core::kVariables) core::value_of(day, v) = domain::kMissing;
    day.tmean_c = domain::kMissing;
    day.wind_height_m = 2.0;
    day.upstream_eto_mm = domain::kMissing;
  }
  for (Variable v : kErrVariables) {
    const VariableError& e = profile[v];
    double noise = e.noise_sd * unit(random);
    for (std::size_t d = 0; d < n; ++d) {
      if (d > 0) noise = e.rho * noise + std::sqrt(1.0 - e.rho * e.rho) * e.noise_sd * unit(random);
      const double t = n > 1 ? static_cast<double>(d) / static_cast<double>(n - 1) : 0.0;
      double value = core::value_of(truth[d], v) * e.scale + e.bias + e.drift * t + noise;
      if (uniform(random, 0.0, 1.0) < e.spike_probability) {
        value += random_sign(random) * uniform(random, 4.0, 8.0) * e.spike_sd;
      }
      if (v == Variable::u2_m_s || v == Variable::rs_mj_m2) value = std::max(value, 0.0);
      core::value_of(series.days[d], v) = value;
    }
  }
  // Keep the day consistent (a product never says Tmin > Tmax or Tdew far above Tmin).
  for (auto& day : series.days) {
    if (day.tmin_c > day.tmax_c) std::swap(day.tmin_c, day.tmax_c);
  }
  // Whole days missing in runs.
  std::vector<domain::WeatherDay> kept;
  for (std::size_t d = 0; d < n; ++d) {
    if (uniform(random, 0.0, 1.0) < profile.missing_run_probability) {
      d += static_cast<std::size_t>(
               std::uniform_int_distribution<int>(1, profile.missing_run_max_days)(random)) -
           1;
      continue;
    }
    kept.push_back(series.days[d]);
  }
  series.days = std::move(kept);
  return series;
}

}  // namespace evapo::bench
