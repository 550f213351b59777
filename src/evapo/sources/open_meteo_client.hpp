#pragma once

// Open-Meteo Archive (GET /v1/archive) and Forecast (GET /v1/forecast), daily variables.

#include <string>
#include <string_view>

#include <evapo/domain/error.hpp>
#include <evapo/domain/weather_day.hpp>
#include <evapo/sources/fetch_request.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/sources/sources_config.hpp>

namespace evapo::sources {

/// The daily variables asked for (wind at 10 m in m/s with wind_speed_unit=ms).
inline constexpr const char* kOpenMeteoDailyVariables =
    "temperature_2m_max,temperature_2m_min,temperature_2m_mean,relative_humidity_2m_max,"
    "relative_humidity_2m_min,relative_humidity_2m_mean,dew_point_2m_mean,wind_speed_10m_mean,"
    "shortwave_radiation_sum,precipitation_sum,et0_fao_evapotranspiration";

/// base_url + "/v1/archive" (archive) or "/v1/forecast" (forecast) + "?latitude=..&longitude=..
/// &start_date=YYYY-MM-DD&end_date=YYYY-MM-DD&daily=...&timezone=<zone>&wind_speed_unit=ms",
/// the zone's name percent-encoded ("Etc%2FGMT%2B3"), or "auto" for an estimated zone (Open-Meteo
/// then picks its own). `source` must be open_meteo_archive or open_meteo_forecast.
std::string open_meteo_url(domain::SourceId source, std::string_view base_url,
                           const domain::Location& location, domain::Date start, domain::Date end,
                           const domain::TimeZone& zone);

/// Parses a daily response: `daily.time` with one array per variable, `null` = missing, units
/// from `daily_units` (°C/°F, %, m/s or km/h/mph/kn, MJ/m², mm/inch). Wind height 10 m;
/// et0_fao_evapotranspiration goes to upstream_eto_mm. utc_offset_seconds and elevation copied
/// (Open-Meteo groups every day with the one offset in force when it answers, daylight saving or
/// not).
/// Days with no value at all are dropped with a warning (archive lag, forecast past days).
/// A body `{"error":true,"reason":..}` gives an upstream error with the reason.
domain::Expected<domain::WeatherSeries> parse_open_meteo_daily(domain::SourceId source,
                                                               std::string_view body);

/// The error a non-2xx answer means, with `reason` from the body when it has one.
domain::Error open_meteo_error(long status, std::string_view body);

/// Downloads [start, end] from the archive or the forecast API (chunks of
/// config.open_meteo_chunk_days) and merges them.
domain::Expected<domain::WeatherSeries> fetch_open_meteo(
    domain::SourceId source, const FetchRequest& request, const SourcesConfig& config,
    HttpClient& http, const FetchControl& control, const TransferCallback& on_event = {});

}  // namespace evapo::sources
