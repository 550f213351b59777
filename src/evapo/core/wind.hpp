#pragma once

#include <cmath>

namespace evapo::core {

/// FAO-56 Eq. 47 (= ASCE-EWRI 2005 Eq. 33): the factor u2/uz = 4.87 / ln(67.8 z - 5.42) for
/// wind measured at height z [m] above ground (logarithmic profile over grass).
/// Deviation: exactly 1 at z = 2 m (the formula gives 1.0002 there).
inline double wind_height_factor(double z_m) {
  return z_m == 2.0 ? 1.0 : 4.87 / std::log(67.8 * z_m - 5.42);
}

/// FAO-56 Eq. 47: wind speed at 2 m [m/s] from speed uz [m/s] measured at height z [m].
inline double wind_speed_2m(double uz_m_s, double z_m) {
  return uz_m_s * wind_height_factor(z_m);
}

/// FAO-56 chapter 3: "where no wind data are available ... a value of 2 m/s" [m/s].
inline constexpr double kDefaultWindSpeed2mMS = 2.0;

}  // namespace evapo::core
