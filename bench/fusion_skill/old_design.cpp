#include "old_design.hpp"

#include <algorithm>
#include <cmath>

namespace evapo::bench {

using core::Variable;
using domain::is_missing;

namespace {

double old_process_variance(Variable v) {
  switch (v) {
    case Variable::tmax_c:
    case Variable::tmin_c:
    case Variable::tdew_c:
      return 9.0;
    case Variable::rh_max_pct:
    case Variable::rh_min_pct:
    case Variable::rh_mean_pct:
      return 100.0;
    case Variable::u2_m_s:
      return 1.0;
    case Variable::rs_mj_m2:
      return 16.0;
    case Variable::precip_mm:
      return 100.0;
  }
  return 1.0;
}

// The removed core/kalman.cpp, verbatim in effect.
void forward_filter(std::vector<double>& z, std::vector<double>& r, double q) {
  bool initialised = false;
  double x = 0.0;
  double p = 0.0;
  constexpr double kThreshold = 9.0;
  for (std::size_t k = 0; k < z.size(); ++k) {
    const bool measured = !is_missing(z[k]) && !is_missing(r[k]) && r[k] > 0.0;
    if (!initialised) {
      if (!measured) continue;
      x = z[k];
      p = r[k];
      initialised = true;
      continue;
    }
    const double p_prior = p + q;
    if (!measured) {
      p = p_prior;
      continue;
    }
    const double nu = z[k] - x;
    double rk = r[k];
    if (nu * nu > kThreshold * (p_prior + rk)) rk = std::max(rk, nu * nu / kThreshold - p_prior);
    const double gain = p_prior / (p_prior + rk);
    x += gain * nu;
    p = (1.0 - gain) * p_prior;
    z[k] = x;
    r[k] = p;
  }
}

}  // namespace

std::vector<pipeline::FusedDay> old_fuse_sources(std::span<const pipeline::PreparedSource> sources,
                                                 const core::FusionPriors& priors) {
  const std::size_t count = sources.empty() ? 0 : sources.front().days.size();
  std::vector<pipeline::FusedDay> fused(count);
  std::vector<core::SourceEstimate> estimates;
  std::vector<double> z(count);
  std::vector<double> r(count);
  for (Variable v : core::kVariables) {
    const auto vi = static_cast<std::size_t>(core::index_of(v));
    for (std::size_t d = 0; d < count; ++d) {
      estimates.clear();
      for (const auto& source : sources) {
        const double value = core::value_of(source.days[d], v);
        if (!is_missing(value))
          estimates.push_back({source.source, value, priors.variance(source.source, v)});
      }
      const auto e = core::inverse_variance_ensemble(estimates);
      auto& out = fused[d].values[vi];
      out.value = e.value;
      out.variance = e.variance;
      out.source_count = e.count;
      out.sources = e.sources;
      out.disagreement_sigma = e.max_disagreement_sigma;
      z[d] = e.value;
      r[d] = e.variance;
    }
    if (v == Variable::precip_mm) continue;
    forward_filter(z, r, old_process_variance(v));
    for (std::size_t d = 0; d < count; ++d) {
      auto& out = fused[d].values[vi];
      if (is_missing(out.value)) continue;
      out.value = z[d];
      out.variance = r[d];
    }
  }
  for (std::size_t d = 0; d < count; ++d) fused[d].date = sources.front().days[d].date;
  return fused;
}

}  // namespace evapo::bench
