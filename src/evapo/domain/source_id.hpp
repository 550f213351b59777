#pragma once

#include <optional>
#include <string_view>

#include <evapo/domain/weather_day.hpp>

namespace evapo::domain {

/// "nasa_power", "open_meteo_archive", "open_meteo_forecast", "met_norway", "nws".
std::string_view to_string(SourceId id);

/// Inverse of to_string; nullopt for an unknown id.
std::optional<SourceId> parse_source_id(std::string_view text);

}  // namespace evapo::domain
