#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include <evapo/sources/elevation.hpp>
#include <evapo/sources/etopo_grid.hpp>
#include <evapo/sources/json_guard.hpp>
#include <evapo/sources/upstream_error.hpp>

namespace evapo::sources {

std::string elevation_url(std::string_view base_url, const domain::Location& location) {
  char query[96];
  std::snprintf(query, sizeof query, "?latitude=%.4f&longitude=%.4f", location.latitude_deg,
                location.longitude_deg);
  return std::string(base_url) + "/v1/elevation" + query;
}

domain::Expected<double> parse_elevation(std::string_view body) {
  return parse_guarded("elevation", [&]() -> domain::Expected<double> {
    const auto json = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      return domain::fail(domain::Error::upstream("elevation: response is not valid JSON"));
    }
    if (json.value("error", false)) {
      return domain::fail(
          domain::Error::upstream("elevation: " + json.value("reason", std::string("error"))));
    }
    if (!json.contains("elevation") || !json["elevation"].is_array() || json["elevation"].empty() ||
        !json["elevation"][0].is_number()) {
      return domain::fail(domain::Error::upstream("elevation: response has no elevation[0]"));
    }
    const double value = json["elevation"][0].get<double>();
    // The deepest trench and the highest summit bound any point's ground.
    constexpr double kLowestGroundM = -11000.0;
    constexpr double kHighestGroundM = 9000.0;
    if (!std::isfinite(value) || value < kLowestGroundM || value > kHighestGroundM) {
      return domain::fail(domain::Error::upstream("elevation: not a height on Earth"));
    }
    return value;
  });
}

domain::Expected<double> etopo_elevation_m(const domain::Location& location,
                                           const SourcesConfig& config) {
  auto grid = shared_etopo_grid(config.etopo_path);
  if (!grid) return domain::fail(grid.error());
  return (*grid)->elevation_m(location.latitude_deg, location.longitude_deg);
}

domain::Expected<ElevationResult> resolve_elevation(const domain::Location& location,
                                                    const SourcesConfig& config, HttpClient& http,
                                                    const FetchControl& control) {
  ElevationResult result;
  auto finish = [&](double height_m, std::string source) {
    result.source = std::move(source);
    result.over_sea = height_m < 0.0;
    result.elevation_m = std::max(0.0, height_m);
    if (result.over_sea) {
      result.warnings.push_back("elevation: the point is below sea level (" +
                                std::to_string(std::lround(height_m)) +
                                " m, likely over the sea); 0 m used");
    }
    return result;
  };
  auto response = http.perform(get_request(elevation_url(config.elevation_url, location),
                                           "elevation", {"Accept: application/json"}),
                               control);
  if (response && response->status >= 200 && response->status <= 299) {
    auto height = parse_elevation(response->body);
    if (height) return finish(*height, "open_meteo");
    result.warnings.push_back(height.error().message);
  } else if (response) {
    result.warnings.push_back(
        error_for_status("elevation", response->status, body_excerpt(response->body)).message);
  } else {
    if (response.error().code == domain::ErrorCode::cancelled)
      return domain::fail(response.error());
    result.warnings.push_back("elevation: " + response.error().message);
  }
  auto offline = etopo_elevation_m(location, config);
  if (!offline) {
    return domain::fail(domain::Error::unavailable("elevation: online lookup failed (" +
                                                   result.warnings.back() + ") and " +
                                                   offline.error().message));
  }
  result.warnings.back() += "; ETOPO20 used";
  return finish(*offline, "etopo20");
}

}  // namespace evapo::sources
