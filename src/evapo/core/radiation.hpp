#pragma once

#include <cmath>

namespace evapo::core {

/// FAO-56 Eq. 35 (Angström): solar radiation Rs [MJ m-2] from sunshine n [h], daylight N [h]
/// and Ra [MJ m-2]. Deviation: with N = 0 (polar night) n/N is taken as 0.
inline double solar_radiation_from_sunshine(double n_h, double daylight_h, double ra_mj_m2,
                                            double as = 0.25, double bs = 0.50) {
  const double ratio = daylight_h > 0.0 ? n_h / daylight_h : 0.0;
  return (as + bs * ratio) * ra_mj_m2;
}

/// FAO-56 Eq. 50 (Hargreaves radiation): Rs [MJ m-2 d-1] from the temperature range [°C] and
/// Ra; krs 0.16 inland, 0.19 coastal.
inline double solar_radiation_from_temperature(double tmax_c, double tmin_c, double ra_mj_m2,
                                               double krs = 0.16) {
  const double range = tmax_c - tmin_c;
  return krs * std::sqrt(range > 0.0 ? range : 0.0) * ra_mj_m2;
}

/// FAO-56 Eq. 37 (= ASCE-EWRI 2005 Eq. 19/47): clear-sky radiation Rso [MJ m-2] from Ra and
/// the elevation z [m].
inline constexpr double clear_sky_radiation_simple(double ra_mj_m2, double elevation_m) {
  return (0.75 + 2e-5 * elevation_m) * ra_mj_m2;
}

/// ASCE-EWRI 2005 Eq. D.3: precipitable water in the atmosphere W [mm].
inline constexpr double precipitable_water(double pressure_kpa, double ea_kpa) {
  return 0.14 * ea_kpa * pressure_kpa + 2.1;
}

/// ASCE-EWRI 2005 Appendix D (Eqs. D.1, D.2, D.4): clear-sky radiation Rso [MJ m-2] from Ra,
/// pressure P [kPa], ea [kPa] and the sine of the sun elevation (β24 daily, β hourly).
/// Turbidity Kt = 1 (clean air). Deviation: sin β floored at 0.01 (as REF-ET) so Kb is finite.
inline double clear_sky_radiation_full(double ra_mj_m2, double pressure_kpa, double ea_kpa,
                                       double sin_beta) {
  const double kt = 1.0;  // the paper's symbol, so a local constant rather than kKt
  const double s = sin_beta > 0.01 ? sin_beta : 0.01;
  const double w = precipitable_water(pressure_kpa, ea_kpa);
  const double kb =
      0.98 * std::exp(-0.00146 * pressure_kpa / (kt * s) - 0.075 * std::pow(w / s, 0.4));
  const double kd = kb >= 0.15 ? 0.35 - 0.36 * kb : 0.18 + 0.82 * kb;
  return (kb + kd) * ra_mj_m2;
}

/// FAO-56 Eq. 38: net shortwave radiation Rns [MJ m-2] for albedo 0.23 (grass reference).
inline constexpr double net_shortwave_radiation(double rs_mj_m2) {
  return (1.0 - 0.23) * rs_mj_m2;
}

/// ASCE-EWRI 2005 Eq. 18/45 (the cloudiness term of FAO-56 Eq. 39): fcd = 1.35 Rs/Rso - 0.35
/// with Rs/Rso limited to [0.3, 1.0]. Deviation: with Rso = 0 (no sun) fcd = 1, as RefET; hourly
/// callers carry the last daytime value instead.
inline constexpr double cloudiness_function(double rs_mj_m2, double rso_mj_m2) {
  double ratio = rso_mj_m2 > 0.0 ? rs_mj_m2 / rso_mj_m2 : 1.0;
  ratio = ratio < 0.3 ? 0.3 : (ratio > 1.0 ? 1.0 : ratio);
  return 1.35 * ratio - 0.35;
}

/// Stefan-Boltzmann constants [MJ K-4 m-2 per day or hour] of FAO-56 (Eq. 39, Example 19) and
/// ASCE-EWRI 2005 (Eqs. 17, 44).
inline constexpr double kSigmaFao56Day = 4.903e-9;
inline constexpr double kSigmaFao56Hour = 2.043e-10;
inline constexpr double kSigmaAsceDay = 4.901e-9;
inline constexpr double kSigmaAsceHour = 2.042e-10;

/// FAO-56 Eq. 39: net longwave radiation Rnl [MJ m-2 d-1] from Tmax, Tmin [°C] (K = °C + 273.16),
/// ea [kPa] and fcd; sigma per day.
inline double net_longwave_radiation_daily(double tmax_c, double tmin_c, double ea_kpa, double fcd,
                                           double sigma = kSigmaFao56Day) {
  const double tx = tmax_c + 273.16;
  const double tn = tmin_c + 273.16;
  const double tx2 = tx * tx;
  const double tn2 = tn * tn;
  return sigma * 0.5 * (tx2 * tx2 + tn2 * tn2) * (0.34 - 0.14 * std::sqrt(ea_kpa)) * fcd;
}

/// FAO-56 Eq. 39 for one hour (ASCE-EWRI 2005 Eq. 44): Rnl [MJ m-2 h-1] from the hour's T [°C].
inline double net_longwave_radiation_hourly(double t_c, double ea_kpa, double fcd,
                                            double sigma = kSigmaFao56Hour) {
  const double t = t_c + 273.16;
  const double t2 = t * t;
  return sigma * t2 * t2 * (0.34 - 0.14 * std::sqrt(ea_kpa)) * fcd;
}

/// FAO-56 Eq. 40: net radiation Rn = Rns - Rnl [MJ m-2].
inline constexpr double net_radiation(double rns_mj_m2, double rnl_mj_m2) {
  return rns_mj_m2 - rnl_mj_m2;
}

}  // namespace evapo::core
