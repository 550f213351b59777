#pragma once

#include <cmath>

namespace evapo::core {

/// FAO-56 Eq. 52 (Hargreaves-Samani): ETo [mm/d] = 0.0023 (Tmean + 17.8) (Tmax - Tmin)^0.5
/// 0.408 Ra, with Tmean = (Tmax + Tmin) / 2 and Ra [MJ m-2 d-1] (0.408 converts it to mm/d).
inline double hargreaves_eto(double tmax_c, double tmin_c, double ra_mj_m2) {
  const double tmean = 0.5 * (tmax_c + tmin_c);
  const double range = tmax_c - tmin_c;
  return 0.0023 * (tmean + 17.8) * std::sqrt(range > 0.0 ? range : 0.0) * 0.408 * ra_mj_m2;
}

}  // namespace evapo::core
