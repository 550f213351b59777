#pragma once

#include <cmath>

#include <evapo/core/options.hpp>

namespace evapo::core {

/// Latent heat of vaporisation used by FAO-56 and ASCE-EWRI 2005 [MJ kg-1]; 1/λ = 0.408.
inline constexpr double kLatentHeatMjKg = 2.45;

/// FAO-56 Eq. 7 (= ASCE-EWRI 2005 Eq. 3): mean atmospheric pressure [kPa] at elevation z [m].
/// ConstantSet::ref_et uses the unrounded exponent g/(0.0065 R) = 9.8/(0.0065 x 286.9).
inline double atmospheric_pressure(double elevation_m,
                                   ConstantSet constants = ConstantSet::standard) {
  const double exponent = constants == ConstantSet::ref_et ? 9.8 / (0.0065 * 286.9) : 5.26;
  return 101.3 * std::pow((293.0 - 0.0065 * elevation_m) / 293.0, exponent);
}

/// FAO-56 Eq. 8 (= ASCE-EWRI 2005 Eq. 4): psychrometric constant γ [kPa °C-1] at pressure P [kPa].
inline constexpr double psychrometric_constant(double pressure_kpa) {
  return 0.665e-3 * pressure_kpa;
}

}  // namespace evapo::core
