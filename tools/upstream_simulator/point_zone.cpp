#include "point_zone.hpp"

#include <evapo/sources/time_zone_lookup.hpp>

namespace evapo::sim {

domain::TimeZone point_zone(double latitude_deg, double longitude_deg) {
  auto located = sources::locate_time_zone(latitude_deg, longitude_deg, "");
  return located ? std::move(*located) : domain::TimeZone::from_longitude(longitude_deg);
}

}  // namespace evapo::sim
