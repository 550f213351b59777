#pragma once

#include <optional>

namespace evapo::domain {

/// A point on Earth. Latitude in [-90, 90], longitude in [-180, 180] (east positive).
struct Location {
  double latitude_deg = 0.0;
  double longitude_deg = 0.0;
  std::optional<double> elevation_m;  // metres above sea level, when known
};

}  // namespace evapo::domain
