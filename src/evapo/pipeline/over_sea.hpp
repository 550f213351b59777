#pragma once

// Refusing a point over the sea: reference ET is defined for a grass surface on land, and the
// weather sources answer over water with numbers that look like a farm's.

#include <optional>

#include <evapo/domain/error.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/sources/land_mask.hpp>

namespace evapo::pipeline {

/// Points within this distance of Natural Earth 1:50m land count as land: that coastline is
/// generalised by a few km, and a coastal farm must not be refused.
inline constexpr double kCoastMarginKm = 10.0;
/// Farther than this, the distance is reported as "more than".
inline constexpr double kSeaSearchKm = 500.0;

/// Distance [km] to the nearest land of a point over the sea (kSeaSearchKm when farther);
/// nullopt on land or within kCoastMarginKm of it.
std::optional<double> sea_distance_km(double latitude_deg, double longitude_deg,
                                      const sources::LandMask& land);

/// The refusal of `request` when its point is over the sea and it does not say allow_sea:
/// invalid_argument with a message naming the distance and the override, detail "latitude";
/// nullopt otherwise.
std::optional<domain::Error> over_sea_refusal(const CalculationRequest& request,
                                              const sources::LandMask& land);

}  // namespace evapo::pipeline
