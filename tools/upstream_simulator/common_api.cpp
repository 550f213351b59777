#include <cmath>

#include <nlohmann/json.hpp>

#include <evapo/sources/etopo_grid.hpp>

#include "api_responses.hpp"

namespace evapo::sim {

double point_elevation_m(const ResponseContext& context, double latitude_deg,
                         double longitude_deg) {
  return context.grid == nullptr ? 0.0 : context.grid->elevation_m(latitude_deg, longitude_deg);
}

double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

SimResponse elevation_response(const Query& query, const ResponseContext& context) {
  const auto lat = query.number("latitude");
  const auto lon = query.number("longitude");
  if (!lat || !lon) {
    return json_response(
        400, R"({"error":true,"reason":"Value of type 'Float' required for key 'latitude'."})");
  }
  const nlohmann::json body = {
      {"elevation", {round_to(point_elevation_m(context, *lat, *lon), 1)}}};
  return json_response(200, body.dump());
}

}  // namespace evapo::sim
