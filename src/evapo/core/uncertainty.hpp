#pragma once

#include <evapo/core/daily_reference_et.hpp>
#include <evapo/core/options.hpp>

namespace evapo::core {

/// Standard deviations of the measured daily inputs (same units as DailyInput). NaN or 0 = that
/// input is taken as exact. Errors are assumed independent.
struct DailyInputSd {
  double tmax_c = 0.0;
  double tmin_c = 0.0;
  double ea_kpa = 0.0;
  double tdew_c = 0.0;
  double rh_max_pct = 0.0;
  double rh_min_pct = 0.0;
  double rh_mean_pct = 0.0;
  double wind_m_s = 0.0;
  double rs_mj_m2 = 0.0;
};

/// First-order propagated standard deviation of the daily reference ET [mm/d]:
/// sqrt(sum_i (dET/dx_i · sd_i)^2), the partial derivatives by central differences of
/// compute_daily() (step 1e-4 of a typical scale of each input, kept inside physical bounds).
/// Only inputs present in `input` contribute. NaN when compute_daily() gives NaN.
double eto_sd_mm(const DailyInput& input, const DailyInputSd& sd, const Site& site,
                 const EtoOptions& options = {});

}  // namespace evapo::core
