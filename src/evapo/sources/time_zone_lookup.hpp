#pragma once

// A point's time zone, offline: the boundary index shipped as share/evapo/time_zones.bin
// (timezone-boundary-builder, ODbL) gives the IANA name, the system tz database its offsets.

#include <memory>
#include <string>

#include <evapo/core/time_zone_index.hpp>
#include <evapo/domain/error.hpp>
#include <evapo/domain/time_zone.hpp>

namespace evapo::sources {

/// Where the index is looked for (find_share_file): `configured`, else $EVAPO_TIME_ZONES_PATH,
/// else time_zones.bin in share/evapo beside the executable or in the source tree. Empty when
/// none exists.
std::string find_time_zone_index_path(const std::string& configured);

/// The process-wide index, loaded once from find_time_zone_index_path(configured) and remembered
/// for that `configured` value; thread-safe. not_found when there is no file, invalid_argument
/// when it is not an index.
domain::Expected<std::shared_ptr<const core::TimeZoneIndex>> shared_time_zone_index(
    const std::string& configured);

/// The zone of the point (see TimeZoneIndex::zone_at) with its offsets from the system tz
/// database (load_time_zone). Errors of either; the caller decides on a fallback
/// (domain::TimeZone::from_longitude) and says so.
domain::Expected<domain::TimeZone> locate_time_zone(double latitude_deg, double longitude_deg,
                                                    const std::string& index_path);

}  // namespace evapo::sources
