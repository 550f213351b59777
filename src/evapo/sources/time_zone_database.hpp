#pragma once

// Offsets and daylight saving from the system tz database (/usr/share/zoneinfo, Debian's
// tzdata), read through Howard Hinnant's date/tz: never downloaded, never bundled.

#include <cstdint>
#include <string>
#include <string_view>

#include <evapo/domain/error.hpp>
#include <evapo/domain/time_zone.hpp>

namespace evapo::sources {

/// The zone `name` ("America/Sao_Paulo", "Etc/GMT+3") with its UTC offsets from 1970 to 2037
/// (the system's compiled zone files list transitions up to 2037; later instants keep the last
/// offset). Loaded once per name, thread-safe. not_found for a name the database lacks,
/// unavailable when there is no tz database.
domain::Expected<domain::TimeZone> load_time_zone(std::string_view name,
                                                  domain::TimeZoneSource source);

/// The zone's abbreviation at the instant `utc_s` ("-03", "CEST"); empty for an unknown zone.
std::string time_zone_abbreviation(std::string_view name, std::int64_t utc_s);

}  // namespace evapo::sources
