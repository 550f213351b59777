#include <algorithm>
#include <cmath>

#include <evapo/core/kalman.hpp>

namespace evapo::core {

using domain::is_missing;

std::vector<KalmanPoint> kalman_filter(std::span<const double> z, std::span<const double> r,
                                       const KalmanOptions& options) {
  const std::size_t n = std::min(z.size(), r.size());
  std::vector<KalmanPoint> out(n);
  bool initialised = false;
  double x = 0.0;
  double p = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const bool measured = !is_missing(z[k]) && !is_missing(r[k]) && r[k] > 0.0;
    if (!initialised) {
      if (!measured) continue;
      x = z[k];
      p = r[k];
      initialised = true;
      out[k] = {x, p, false};
      continue;
    }
    const double p_prior = p + options.process_variance;
    if (!measured) {
      p = p_prior;
      continue;
    }
    const double nu = z[k] - x;
    double rk = r[k];
    bool outlier = false;
    const double threshold = options.outlier_sigma * options.outlier_sigma;
    if (nu * nu > threshold * (p_prior + rk)) {
      rk = std::max(rk, nu * nu / threshold - p_prior);
      outlier = true;
    }
    const double gain = p_prior / (p_prior + rk);
    x += gain * nu;
    p = (1.0 - gain) * p_prior;
    out[k] = {x, p, outlier};
  }
  return out;
}

double default_process_variance(Variable v) {
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

}  // namespace evapo::core
