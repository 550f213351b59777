#pragma once

// NASA POWER daily point API (community AG): GET /api/temporal/daily/point.

#include <string>
#include <string_view>

#include <evapo/domain/error.hpp>
#include <evapo/domain/weather_day.hpp>
#include <evapo/sources/fetch_request.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/sources/sources_config.hpp>

namespace evapo::sources {

/// The parameters asked for: Tmax, Tmin, Tmean, dew point, RH mean, wind at 2 m, Rs, precip.
inline constexpr const char* kNasaPowerParameters =
    "T2M_MAX,T2M_MIN,T2M,T2MDEW,RH2M,WS2M,ALLSKY_SFC_SW_DWN,PRECTOTCORR";

/// base_url + "/api/temporal/daily/point?parameters=...&community=AG&longitude=..&latitude=..
/// &start=YYYYMMDD&end=YYYYMMDD&format=JSON&time-standard=LST".
std::string nasa_power_url(std::string_view base_url, const domain::Location& location,
                           domain::Date start, domain::Date end);

/// Parses a daily point JSON body (a GeoJSON Feature with properties.parameter.<NAME>.<YYYYMMDD>).
/// Units are read from the response's `parameters` block (MJ/m^2/day or kW-hr/m^2/day, C or K,
/// m/s, mm/day, %); the fill value from header.fill_value (default -999) becomes NaN. Days where
/// every value is missing are dropped with a warning; unknown units drop that parameter with a
/// warning. Elevation from geometry.coordinates[2]. upstream error when the body is not JSON or
/// not a daily point layout (e.g. monthly or regional responses).
domain::Expected<domain::WeatherSeries> parse_nasa_power_json(std::string_view body);

/// Parses the CSV format (-BEGIN HEADER- block with units, then YEAR,DOY or YEAR,MO,DY columns).
/// Same conventions as parse_nasa_power_json; WS10M is taken as wind at 10 m when WS2M is absent.
domain::Expected<domain::WeatherSeries> parse_nasa_power_csv(std::string_view body);

/// The error a non-2xx answer means, with the reason from the body when it has one.
domain::Error nasa_power_error(long status, std::string_view body);

/// Downloads [start, end] in chunks of config.nasa_power_chunk_days and merges them. Recent days
/// still missing upstream come back as NaN with a warning, not as an error.
domain::Expected<domain::WeatherSeries> fetch_nasa_power(const FetchRequest& request,
                                                         const SourcesConfig& config,
                                                         HttpClient& http,
                                                         const FetchControl& control,
                                                         const TransferCallback& on_event = {});

}  // namespace evapo::sources
