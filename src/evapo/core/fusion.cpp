#include <cmath>

#include <evapo/core/fusion.hpp>

namespace evapo::core {

using domain::is_missing;
using domain::SourceId;

namespace {

bool usable(const SourceEstimate& e) {
  return !is_missing(e.value) && !is_missing(e.variance) && e.variance > 0.0;
}

}  // namespace

EnsembleResult inverse_variance_ensemble(std::span<const SourceEstimate> estimates,
                                         const EnsembleOptions& options) {
  constexpr std::size_t kMaxSources = 8;
  double value[kMaxSources];
  double variance[kMaxSources];
  std::uint32_t bits[kMaxSources];
  std::size_t n = 0;
  for (const auto& e : estimates) {
    if (!usable(e) || n == kMaxSources) continue;
    value[n] = e.value;
    variance[n] = e.variance;
    bits[n] = 1U << static_cast<unsigned>(e.source);
    ++n;
  }
  EnsembleResult result;
  if (n == 0) return result;
  // Leave-one-out z-score of source i against the ensemble of the others.
  auto z_score = [&](std::size_t i) {
    double sum_w = 0.0;
    double sum_wz = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      sum_w += 1.0 / variance[j];
      sum_wz += value[j] / variance[j];
    }
    return std::abs(value[i] - sum_wz / sum_w) / std::sqrt(variance[i] + 1.0 / sum_w);
  };
  const double k = options.outlier_sigma;
  if (n == 2) {
    // Two sources cannot tell which is wrong: widen both alike, the mean stays put.
    const double z = z_score(0);
    result.max_disagreement_sigma = z;
    if (z > k) {
      variance[0] *= (z / k) * (z / k);
      variance[1] *= (z / k) * (z / k);
      result.inflated = true;
    }
  } else if (n > 2) {
    // Worst first, each source at most once, so agreeing sources are not punished for the
    // spike among "the others".
    bool done[kMaxSources] = {};
    for (std::size_t round = 0; round < n; ++round) {
      std::size_t worst = n;
      double worst_z = k;
      for (std::size_t i = 0; i < n; ++i) {
        const double z = z_score(i);
        if (round == 0) result.max_disagreement_sigma = std::max(result.max_disagreement_sigma, z);
        if (!done[i] && z > worst_z) {
          worst = i;
          worst_z = z;
        }
      }
      if (worst == n) break;
      variance[worst] *= (worst_z / k) * (worst_z / k);
      done[worst] = true;
      result.inflated = true;
    }
  }
  double sum_w = 0.0;
  double sum_wz = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sum_w += 1.0 / variance[i];
    sum_wz += value[i] / variance[i];
    result.sources |= bits[i];
  }
  result.value = sum_wz / sum_w;
  result.variance = 1.0 / sum_w;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = 1.0 / variance[i] / sum_w;
    result.weight_square_sum += w * w;
  }
  result.count = static_cast<int>(n);
  return result;
}

double typical_error_sd(Variable v) {
  switch (v) {
    case Variable::tmax_c:
    case Variable::tmin_c:
    case Variable::tdew_c:
      return 1.5;
    case Variable::rh_max_pct:
    case Variable::rh_min_pct:
    case Variable::rh_mean_pct:
      return 8.0;
    case Variable::u2_m_s:
      return 0.8;
    case Variable::rs_mj_m2:
      return 2.5;
    case Variable::precip_mm:
      return 3.0;
  }
  return 1.0;
}

namespace {

// NASA POWER's published share against Open-Meteo Archive (fusion_weights.csv).
double nasa_weight(Variable v) {
  switch (v) {
    case Variable::tmax_c:
      return 0.58;
    case Variable::tmin_c:
      return 0.52;
    case Variable::tdew_c:
    case Variable::rh_max_pct:
    case Variable::rh_min_pct:
    case Variable::rh_mean_pct:
      return 0.35;
    case Variable::u2_m_s:
      return 0.20;
    case Variable::rs_mj_m2:
      return 0.92;
    case Variable::precip_mm:
      return 0.50;
  }
  return 0.5;
}

constexpr double kUnknownSourceWeight = 0.1;

}  // namespace

FusionPriors FusionPriors::defaults(FusionContext context) {
  FusionPriors priors;
  for (Variable v : kVariables) {
    const double s = typical_error_sd(v);
    // sd from weight w within a set of n sources: s / sqrt(n w).
    auto from_weight = [s](double w, int n) { return s / std::sqrt(static_cast<double>(n) * w); };
    for (SourceId id : domain::kAllSources)
      priors.set_sd(id, v, from_weight(kUnknownSourceWeight, 2));
    switch (context) {
      case FusionContext::reanalysis:
        priors.set_sd(SourceId::nasa_power, v, from_weight(nasa_weight(v), 2));
        priors.set_sd(SourceId::open_meteo_archive, v, from_weight(1.0 - nasa_weight(v), 2));
        priors.set_sd(SourceId::open_meteo_forecast, v, 2.0 * s);
        break;
      case FusionContext::forecast_usa:
        priors.set_sd(SourceId::nws, v, from_weight(0.50, 3));
        priors.set_sd(SourceId::open_meteo_forecast, v, from_weight(0.30, 3));
        priors.set_sd(SourceId::met_norway, v, from_weight(0.20, 3));
        break;
      case FusionContext::forecast_nordic:
        priors.set_sd(SourceId::met_norway, v, from_weight(0.80, 2));
        priors.set_sd(SourceId::open_meteo_forecast, v, from_weight(0.20, 2));
        break;
      case FusionContext::forecast_global:
        priors.set_sd(SourceId::open_meteo_forecast, v, from_weight(0.70, 2));
        priors.set_sd(SourceId::met_norway, v, from_weight(0.30, 2));
        break;
    }
  }
  return priors;
}

double FusionPriors::variance(SourceId source, Variable v) const {
  const double s = sd[static_cast<std::size_t>(source)][static_cast<std::size_t>(index_of(v))];
  return s * s;
}

void FusionPriors::set_sd(SourceId source, Variable v, double sd_value) {
  sd[static_cast<std::size_t>(source)][static_cast<std::size_t>(index_of(v))] = sd_value;
}

FusionContext fusion_context(double latitude_deg, double longitude_deg, bool forecast_mode) {
  if (!forecast_mode) return FusionContext::reanalysis;
  if (latitude_deg >= 24.0 && latitude_deg <= 50.0 && longitude_deg >= -125.0 &&
      longitude_deg <= -66.0) {
    return FusionContext::forecast_usa;
  }
  if (latitude_deg >= 54.0 && latitude_deg <= 71.5 && longitude_deg >= 4.0 &&
      longitude_deg <= 32.0) {
    return FusionContext::forecast_nordic;
  }
  return FusionContext::forecast_global;
}

}  // namespace evapo::core
