#pragma once

// Elevation of a point: Open-Meteo /v1/elevation online, ETOPO20 offline fallback.

#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/domain/location.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/sources/sources_config.hpp>

namespace evapo::sources {

struct ElevationResult {
  double elevation_m = 0.0;
  std::string source;                 // "open_meteo" | "etopo20"
  bool over_sea = false;              // the grid/DEM says the point is below sea level or 0 at sea
  std::vector<std::string> warnings;  // e.g. why the online lookup was not used
};

/// base_url + "/v1/elevation?latitude=..&longitude=..".
std::string elevation_url(std::string_view base_url, const domain::Location& location);

/// Parses {"elevation":[m]}; upstream error otherwise (including {"error":true,...}) and for a
/// height no ground has (outside -11000..9000 m).
domain::Expected<double> parse_elevation(std::string_view body);

/// Online first, then ETOPO20 (bilinear). Heights below 0 are reported with over_sea = true and
/// clamped to 0 m (FAO-56 uses z only for pressure and Rso). Error only when both fail.
domain::Expected<ElevationResult> resolve_elevation(const domain::Location& location,
                                                    const SourcesConfig& config, HttpClient& http,
                                                    const FetchControl& control = {});

/// Offline only: the ETOPO20 height (may be negative), no clamping.
domain::Expected<double> etopo_elevation_m(const domain::Location& location,
                                           const SourcesConfig& config);

}  // namespace evapo::sources
