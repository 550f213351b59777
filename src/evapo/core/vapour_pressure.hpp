#pragma once

#include <evapo/core/exp.hpp>

namespace evapo::core {

/// FAO-56 Eq. 11: saturation vapour pressure e°(T) [kPa] at air temperature t [°C].
inline double saturation_vapour_pressure(double t_c) {
  return 0.6108 * exp_vectorizable(17.27 * t_c / (t_c + 237.3));
}

/// FAO-56 Eq. 12: mean saturation vapour pressure es [kPa] of a day, the mean of e°(Tmax) and
/// e°(Tmin) (not e°(Tmean)).
inline double mean_saturation_vapour_pressure(double tmax_c, double tmin_c) {
  return 0.5 * (saturation_vapour_pressure(tmax_c) + saturation_vapour_pressure(tmin_c));
}

/// FAO-56 Eq. 13: slope Δ [kPa °C-1] of the saturation vapour pressure curve at t [°C].
/// ASCE-EWRI 2005 Eq. 5 writes 2503 for 4098 x 0.6108 (= 2503.06); same value to 5 digits.
inline double slope_vapour_pressure_curve(double t_c) {
  const double t = t_c + 237.3;
  return 4098.0 * saturation_vapour_pressure(t_c) / (t * t);
}

/// FAO-56 Eq. 14: actual vapour pressure ea [kPa] from the dew point [°C].
inline double actual_vapour_pressure_from_tdew(double tdew_c) {
  return saturation_vapour_pressure(tdew_c);
}

/// FAO-56 Eq. 17: ea [kPa] from daily maximum and minimum relative humidity [%].
inline double actual_vapour_pressure_from_rh_max_min(double tmax_c, double tmin_c,
                                                     double rh_max_pct, double rh_min_pct) {
  return 0.5 * (saturation_vapour_pressure(tmin_c) * rh_max_pct / 100.0 +
                saturation_vapour_pressure(tmax_c) * rh_min_pct / 100.0);
}

/// FAO-56 Eq. 18: ea [kPa] from RHmax [%] alone (RHmin unreliable or missing).
inline double actual_vapour_pressure_from_rh_max(double tmin_c, double rh_max_pct) {
  return saturation_vapour_pressure(tmin_c) * rh_max_pct / 100.0;
}

/// FAO-56 Eq. 19: ea [kPa] from daily mean relative humidity [%] and the day's es [kPa].
inline constexpr double actual_vapour_pressure_from_rh_mean(double es_kpa, double rh_mean_pct) {
  return rh_mean_pct / 100.0 * es_kpa;
}

/// FAO-56 Eq. 54: hourly ea [kPa] from the hour's temperature [°C] and relative humidity [%].
inline double actual_vapour_pressure_hourly(double t_c, double rh_pct) {
  return saturation_vapour_pressure(t_c) * rh_pct / 100.0;
}

/// Vapour pressure deficit es - ea [kPa] (the (es - ea) term of FAO-56 Eq. 6 and ASCE-EWRI 2005
/// Eq. 1), daily and hourly alike. Air cannot hold more vapour than saturation (ea reaches es
/// and dew forms), so an ea above es is a measurement error (Tdew above T, RH above 100 %).
/// Deviation: such an hour or day counts as saturated, deficit 0, rather than as a negative
/// deficit; RefET's daily code does the same, its hourly code omits the clamp (a quirk its
/// maintainers list). On Fallon 2015 the 164 hours with Tdew above T match REF-ET 4.1 to
/// 0.005 mm/h either way.
inline constexpr double vapour_pressure_deficit(double es_kpa, double ea_kpa) {
  const double vpd = es_kpa - ea_kpa;
  return vpd > 0.0 ? vpd : 0.0;
}

}  // namespace evapo::core
