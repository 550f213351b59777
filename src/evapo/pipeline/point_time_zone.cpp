#include <cmath>

#include <evapo/pipeline/calculation.hpp>
#include <evapo/sources/time_zone_lookup.hpp>

namespace evapo::pipeline {

PointTimeZone point_time_zone(double latitude_deg, double longitude_deg,
                              const std::string& index_path) {
  const double lat = std::isfinite(latitude_deg) ? latitude_deg : 0.0;
  const double lon = std::isfinite(longitude_deg) ? longitude_deg : 0.0;
  auto located = sources::locate_time_zone(lat, lon, index_path);
  if (located) return {std::move(*located), std::nullopt};
  return {domain::TimeZone::from_longitude(lon),
          warning::utc_offset_estimated(located.error().message)};
}

domain::Date local_today(double latitude_deg, double longitude_deg,
                         std::chrono::system_clock::time_point now) {
  return point_time_zone(latitude_deg, longitude_deg).zone.local_date(now);
}

}  // namespace evapo::pipeline
