#include <cmath>

#include <evapo/core/uncertainty.hpp>

namespace evapo::core {
namespace {

using domain::is_missing;

/// One input's contribution (dET/dx · sd)^2 by a central difference of step h, shrunk to a
/// one-sided difference where x - h would leave the physical range [lower, ∞).
double contribution(const DailyInput& input, double DailyInput::*field, double sd, double h,
                    double lower, const Site& site, const EtoOptions& options) {
  const double x = input.*field;
  if (is_missing(x) || is_missing(sd) || sd <= 0.0) return 0.0;
  DailyInput plus = input;
  DailyInput minus = input;
  plus.*field = x + h;
  double step = 2.0 * h;
  if (x - h >= lower) {
    minus.*field = x - h;
  } else {
    step = h;  // forward difference at the boundary (e.g. calm wind)
  }
  const double derivative =
      (compute_daily(plus, site, options).et_mm() - compute_daily(minus, site, options).et_mm()) /
      step;
  const double term = derivative * sd;
  return term * term;
}

}  // namespace

double eto_sd_mm(const DailyInput& input, const DailyInputSd& sd, const Site& site,
                 const EtoOptions& options) {
  if (is_missing(compute_daily(input, site, options).et_mm())) return domain::kMissing;
  constexpr double kLowest = -1e9;
  // Steps of ~1e-4 of each input's typical magnitude: small against its curvature, large
  // against rounding (ET ~ 1-10 mm, relative rounding 1e-16).
  double variance = 0.0;
  variance += contribution(input, &DailyInput::tmax_c, sd.tmax_c, 1e-3, kLowest, site, options);
  variance += contribution(input, &DailyInput::tmin_c, sd.tmin_c, 1e-3, kLowest, site, options);
  variance += contribution(input, &DailyInput::ea_kpa, sd.ea_kpa, 1e-4, 0.0, site, options);
  variance += contribution(input, &DailyInput::tdew_c, sd.tdew_c, 1e-3, kLowest, site, options);
  variance += contribution(input, &DailyInput::rh_max_pct, sd.rh_max_pct, 1e-2, 0.0, site, options);
  variance += contribution(input, &DailyInput::rh_min_pct, sd.rh_min_pct, 1e-2, 0.0, site, options);
  variance +=
      contribution(input, &DailyInput::rh_mean_pct, sd.rh_mean_pct, 1e-2, 0.0, site, options);
  variance += contribution(input, &DailyInput::wind_m_s, sd.wind_m_s, 1e-3, 0.0, site, options);
  variance += contribution(input, &DailyInput::rs_mj_m2, sd.rs_mj_m2, 1e-3, 0.0, site, options);
  return std::sqrt(variance);
}

}  // namespace evapo::core
