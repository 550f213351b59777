#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evapo::sources {

/// Parses "YYYY-MM-DDTHH:MM[:SS]" followed by "Z", "+HH:MM" or "-HH:MM" (or nothing = UTC) into
/// Unix seconds; nullopt when malformed.
std::optional<std::int64_t> parse_iso_utc_seconds(std::string_view text);

/// Parses an ISO-8601 duration made of days, hours, minutes and seconds ("PT1H", "P7DT14H",
/// "P1D", "PT30M") into seconds; nullopt when malformed or when it uses years/months/weeks.
std::optional<std::int64_t> parse_iso_duration_seconds(std::string_view text);

/// Formats Unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string format_iso_utc_seconds(std::int64_t seconds);

}  // namespace evapo::sources
