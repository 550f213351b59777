#pragma once

#include <evapo/core/options.hpp>

namespace evapo::core {

/// Numerator and denominator constants of the standardized Penman-Monteith equation.
struct SurfaceCoefficients {
  double cn = 900.0;  // K mm s^3 Mg-1 per time step
  double cd = 0.34;   // s m-1
};

/// Whether an hour counts as daytime: ASCE-EWRI 2005 takes Rn > 0 as day ("night when Rn < 0").
enum class DayPeriod { day, night };

/// Daily Cn/Cd: FAO-56 Eq. 6 and ASCE-EWRI 2005 Table 1 (ETos 900/0.34, ETrs 1600/0.38).
constexpr SurfaceCoefficients daily_coefficients(Method method) {
  return is_tall_reference(method) ? SurfaceCoefficients{1600.0, 0.38}
                                   : SurfaceCoefficients{900.0, 0.34};
}

/// Hourly Cn/Cd: FAO-56 Eq. 53 (37/0.34 day and night); ASCE-EWRI 2005 Table 1 ETos 37 with
/// 0.24 day / 0.96 night, ETrs 66 with 0.25 day / 1.7 night. ConstantSet::ref_et takes Cn
/// unrounded as the daily Cn / 24 (37.5 and 66.67), as the REF-ET program does: with it REF-ET's
/// Fallon hourly output is matched at the printed precision; with 37/66 windy hours are ~1 % low.
constexpr SurfaceCoefficients hourly_coefficients(Method method, DayPeriod period,
                                                  ConstantSet constants = ConstantSet::standard) {
  const bool night = period == DayPeriod::night;
  const bool ref_et = constants == ConstantSet::ref_et;
  switch (method) {
    case Method::asce_short:
      return {ref_et ? 900.0 / 24.0 : 37.0, night ? 0.96 : 0.24};
    case Method::asce_tall:
      return {ref_et ? 1600.0 / 24.0 : 66.0, night ? 1.7 : 0.25};
    case Method::fao56:
    case Method::hargreaves:
      break;
  }
  return {ref_et ? 900.0 / 24.0 : 37.0, 0.34};
}

/// Hourly soil heat flux G [MJ m-2 h-1] from Rn: FAO-56 Eqs. 45-46 and ASCE-EWRI 2005 Eqs. 65-66
/// (short: 0.1 Rn day, 0.5 Rn night; tall: 0.04 Rn day, 0.2 Rn night).
constexpr double soil_heat_flux_hourly(double rn_mj_m2, Method method, DayPeriod period) {
  const bool night = period == DayPeriod::night;
  if (is_tall_reference(method)) return (night ? 0.2 : 0.04) * rn_mj_m2;
  return (night ? 0.5 : 0.1) * rn_mj_m2;
}

/// FAO-56 Eq. 43: monthly soil heat flux G [MJ m-2 d-1] of month i from the mean air
/// temperatures [°C] of the previous and the next month.
constexpr double soil_heat_flux_monthly(double t_previous_month_c, double t_next_month_c) {
  return 0.07 * (t_next_month_c - t_previous_month_c);
}

/// FAO-56 Eq. 44: monthly G [MJ m-2 d-1] when the next month is unknown, from this month's and
/// the previous month's mean air temperatures [°C].
constexpr double soil_heat_flux_monthly_from_previous(double t_previous_month_c, double t_month_c) {
  return 0.14 * (t_month_c - t_previous_month_c);
}

/// Kelvin offset of the aerodynamic term T + 273 of ASCE-EWRI 2005 Eq. 1. The REF-ET program
/// evidently uses 273.16 (as in its Rnl): with it, its Fallon output is matched at the printed
/// precision on every day; with 273 a tenth of the days are off by 0.001-0.003 mm beyond it.
constexpr double aerodynamic_kelvin_offset(ConstantSet constants) {
  return constants == ConstantSet::ref_et ? 273.16 : 273.0;
}

/// ASCE-EWRI 2005 Eq. 1 (FAO-56 Eq. 6 daily, Eq. 53 hourly): reference ET [mm per step] from
/// Δ, γ [kPa °C-1], Rn, G [MJ m-2 per step], T [°C] (daily mean or hourly), u2 [m/s], es - ea
/// [kPa] and the surface coefficients. 0.408 = 1/λ.
constexpr double penman_monteith(double delta, double gamma, double rn, double g, double t_c,
                                 double u2, double vpd, SurfaceCoefficients c,
                                 double kelvin_offset = 273.0) {
  return (0.408 * delta * (rn - g) + gamma * c.cn / (t_c + kelvin_offset) * u2 * vpd) /
         (delta + gamma * (1.0 + c.cd * u2));
}

}  // namespace evapo::core
