#pragma once

// US NWS latest station observation: GET /stations/{id}/observations/latest (the "nearest
// station" card; not a daily source).

#include <cstdint>
#include <string>
#include <string_view>

#include <evapo/domain/error.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::sources {

/// One observation in SI units; NaN where the API sent null or a unit not understood.
struct NwsObservation {
  std::string station;  // station URL or id as sent
  std::int64_t time_utc_s = 0;
  double temp_c = domain::kMissing;
  double tdew_c = domain::kMissing;
  double rh_pct = domain::kMissing;
  double wind_m_s = domain::kMissing;  // 10 m
  double pressure_kpa = domain::kMissing;
  double precip_last_6h_mm = domain::kMissing;
  double elevation_m = domain::kMissing;
};

/// Parses properties.{timestamp,temperature,dewpoint,relativeHumidity,windSpeed,
/// barometricPressure,precipitationLast6Hours,elevation}; each {"unitCode"|"unit", "value"}
/// ("wmoUnit:degC" or the older "unit:degC"; Pa; km_h-1 or m_s-1; m). upstream error when the
/// body is not an observation.
domain::Expected<NwsObservation> parse_nws_observation(std::string_view body);

}  // namespace evapo::sources
