#pragma once

#include <evapo/domain/time_zone.hpp>

namespace evapo::sim {

/// The point's time zone as the real APIs know it (Open-Meteo timezone=auto, NWS timeZone): the
/// same boundary index and system tz database as evapo's own; the longitude estimate when either
/// is missing.
domain::TimeZone point_zone(double latitude_deg, double longitude_deg);

}  // namespace evapo::sim
