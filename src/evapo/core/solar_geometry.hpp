#pragma once

#include <cmath>
#include <numbers>

#include <evapo/core/options.hpp>

namespace evapo::core {

/// Solar constant Gsc [MJ m-2 min-1] (FAO-56 Eq. 21; ASCE-EWRI 2005 writes 4.92 MJ m-2 h-1).
inline constexpr double kSolarConstantMjM2Min = 0.0820;

/// Degrees to radians (FAO-56 Eq. 22).
inline constexpr double radians(double degrees) {
  return degrees * std::numbers::pi / 180.0;
}

/// FAO-56 Eq. 23: inverse relative distance Earth-Sun dr [-] on day of year j (1..366).
inline double inverse_relative_distance(double j) {
  return 1.0 + 0.033 * std::cos(2.0 * std::numbers::pi / 365.0 * j);
}

/// FAO-56 Eq. 24: solar declination δ [rad] on day of year j. ConstantSet::ref_et uses Duffie &
/// Beckman's 23.45° sin(2π(284 + j)/365), as the REF-ET program does.
inline double solar_declination(double j, ConstantSet constants = ConstantSet::standard) {
  if (constants == ConstantSet::ref_et) {
    return radians(23.45) * std::sin(2.0 * std::numbers::pi * (j + 284.0) / 365.0);
  }
  return 0.409 * std::sin(2.0 * std::numbers::pi / 365.0 * j - 1.39);
}

/// Solar constant [MJ m-2 min-1]: FAO-56's 0.0820, or 1367 W m-2 for ConstantSet::ref_et.
inline constexpr double solar_constant(ConstantSet constants) {
  return constants == ConstantSet::ref_et ? 1367.0 * 60.0 * 1e-6 : kSolarConstantMjM2Min;
}

/// FAO-56 Eq. 25: sunset hour angle ωs [rad] at latitude φ [rad] and declination δ [rad].
/// Deviation: the acos argument is clamped to [-1, 1], so polar night gives 0 and polar day π
/// instead of NaN (the text limits Eq. 25 to latitudes below 55-66°).
inline double sunset_hour_angle(double latitude_rad, double declination_rad) {
  double x = -std::tan(latitude_rad) * std::tan(declination_rad);
  x = x < -1.0 ? -1.0 : (x > 1.0 ? 1.0 : x);
  return std::acos(x);
}

/// FAO-56 Eq. 21: daily extraterrestrial radiation Ra [MJ m-2 d-1].
inline double extraterrestrial_radiation_daily(double latitude_rad, double j,
                                               ConstantSet constants = ConstantSet::standard) {
  const double dr = inverse_relative_distance(j);
  const double delta = solar_declination(j, constants);
  const double ws = sunset_hour_angle(latitude_rad, delta);
  const double ra = 24.0 * 60.0 / std::numbers::pi * solar_constant(constants) * dr *
                    (ws * std::sin(latitude_rad) * std::sin(delta) +
                     std::cos(latitude_rad) * std::cos(delta) * std::sin(ws));
  return ra > 0.0 ? ra : 0.0;  // rounding can leave -1e-16 at polar night
}

/// FAO-56 Eq. 34: daylight hours N [h] from the sunset hour angle ωs [rad].
inline constexpr double daylight_hours(double sunset_hour_angle_rad) {
  return 24.0 / std::numbers::pi * sunset_hour_angle_rad;
}

/// FAO-56 Eqs. 32-33 (= ASCE-EWRI 2005 Eqs. 57-58): seasonal correction Sc [h] for solar time.
inline double seasonal_correction(double j) {
  const double b = 2.0 * std::numbers::pi * (j - 81.0) / 364.0;
  return 0.1645 * std::sin(2.0 * b) - 0.1255 * std::cos(b) - 0.025 * std::sin(b);
}

/// FAO-56 Eq. 31 (= ASCE-EWRI 2005 Eq. 55): solar time angle ω [rad] at the midpoint t [h,
/// local standard clock time] of the period. Longitudes east positive; the time-zone centre is
/// 15° x tz offset (FAO writes Lz, Lm in degrees west of Greenwich: Lz - Lm = lon - 15 tz).
/// The result is wrapped into [-π, π].
inline double solar_time_angle(double t_mid_h, double longitude_deg, double tz_offset_h,
                               double seasonal_correction_h) {
  const double lz_minus_lm_deg = longitude_deg - 15.0 * tz_offset_h;
  const double omega = std::numbers::pi / 12.0 *
                       ((t_mid_h + 0.06667 * lz_minus_lm_deg + seasonal_correction_h) - 12.0);
  return std::remainder(omega, 2.0 * std::numbers::pi);
}

/// Start and end solar time angles of an hour [rad].
struct HourAngles {
  double omega1_rad = 0.0;
  double omega2_rad = 0.0;
};

/// FAO-56 Eqs. 29-30 (ASCE-EWRI 2005 Eqs. 53-54, 56): ω1 = ω - π/24, ω2 = ω + π/24 for a 1-hour
/// period, each clipped to [-ωs, ωs] so hours around sunrise/sunset count only sunlit time.
inline HourAngles hour_angles(double omega_rad, double sunset_hour_angle_rad) {
  const auto clip = [sunset_hour_angle_rad](double w) {
    return w < -sunset_hour_angle_rad ? -sunset_hour_angle_rad
                                      : (w > sunset_hour_angle_rad ? sunset_hour_angle_rad : w);
  };
  const double w1 = clip(omega_rad - std::numbers::pi / 24.0);
  const double w2 = clip(omega_rad + std::numbers::pi / 24.0);
  return {w1 < w2 ? w1 : w2, w2};
}

/// FAO-56 Eq. 28: extraterrestrial radiation Ra [MJ m-2 h-1] of the period (ω1, ω2).
inline double extraterrestrial_radiation_hourly(double latitude_rad, double j, HourAngles w,
                                                ConstantSet constants = ConstantSet::standard) {
  const double dr = inverse_relative_distance(j);
  const double delta = solar_declination(j, constants);
  const double ra = 12.0 * 60.0 / std::numbers::pi * solar_constant(constants) * dr *
                    ((w.omega2_rad - w.omega1_rad) * std::sin(latitude_rad) * std::sin(delta) +
                     std::cos(latitude_rad) * std::cos(delta) *
                         (std::sin(w.omega2_rad) - std::sin(w.omega1_rad)));
  return ra > 0.0 ? ra : 0.0;
}

/// ASCE-EWRI 2005 Eq. 62: sine of the sun's elevation angle β above the horizon at solar time
/// angle ω [rad].
inline double sin_sun_elevation(double latitude_rad, double declination_rad, double omega_rad) {
  return std::sin(latitude_rad) * std::sin(declination_rad) +
         std::cos(latitude_rad) * std::cos(declination_rad) * std::cos(omega_rad);
}

/// ASCE-EWRI 2005 Eq. D.5: sine of the daily mean, daylight-weighted sun elevation β24 for
/// latitude φ [rad] on day j. Deviation: floored at 0.1 so Eq. D.2 stays finite at high
/// latitudes (as REF-ET and RefET do).
inline double sin_sun_elevation_daily(double latitude_rad, double j) {
  const double s =
      std::sin(0.85 + 0.3 * latitude_rad * std::sin(2.0 * std::numbers::pi / 365.0 * j - 1.39) -
               0.42 * latitude_rad * latitude_rad);
  return s > 0.1 ? s : 0.1;
}

}  // namespace evapo::core
