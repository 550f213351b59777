#include <cmath>

#include <fmt/format.h>

#include <evapo/pipeline/over_sea.hpp>

namespace evapo::pipeline {

std::optional<double> sea_distance_km(double latitude_deg, double longitude_deg,
                                      const sources::LandMask& land) {
  const auto distance = land.distance_to_land_km(latitude_deg, longitude_deg, kSeaSearchKm);
  if (distance && *distance <= kCoastMarginKm) return std::nullopt;
  return distance.value_or(kSeaSearchKm);
}

std::optional<domain::Error> over_sea_refusal(const CalculationRequest& request,
                                              const sources::LandMask& land) {
  if (request.allow_sea) return std::nullopt;
  const auto distance = sea_distance_km(request.latitude_deg, request.longitude_deg, land);
  if (!distance) return std::nullopt;
  const std::string how_far = *distance >= kSeaSearchKm
                                  ? fmt::format("more than {:.0f} km", kSeaSearchKm)
                                  : fmt::format("{:.0f} km", *distance);
  return domain::Error::invalid_argument(
      fmt::format("the point ({:.4f}, {:.4f}) is over the sea, {} from the nearest land: "
                  "reference ET is defined for a grass surface on land. Send \"allow_sea\": true "
                  "to calculate anyway",
                  request.latitude_deg, request.longitude_deg, how_far),
      {{"latitude", "over the sea (" + how_far + " from land)"},
       {"longitude", "over the sea (" + how_far + " from land)"}});
}

}  // namespace evapo::pipeline
