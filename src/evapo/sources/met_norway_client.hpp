#pragma once

// MET Norway Locationforecast 2.0 complete: GET /weatherapi/locationforecast/2.0/complete.

#include <string>
#include <string_view>

#include <evapo/domain/error.hpp>
#include <evapo/domain/time_zone.hpp>
#include <evapo/domain/weather_day.hpp>
#include <evapo/sources/fetch_request.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/sources/sources_config.hpp>

namespace evapo::sources {

/// base_url + "/weatherapi/locationforecast/2.0/complete?lat=..&lon=..[&altitude=..]",
/// coordinates with at most 4 decimals, altitude in whole metres when the location has one.
std::string met_norway_url(std::string_view base_url, const domain::Location& location);

/// Parses a Locationforecast body (compact or complete; also the saved wrapper
/// {"status_code","headers","data":<body>}) and aggregates its UTC time steps to local days
/// of `zone` (DST-aware per hour, see HourlyTable::to_local_days): each step's instant values hold
/// until the next step (at most 6 h); in the 6-hourly part Tmax/Tmin also from next_6_hours
/// extremes; precipitation from next_1_hours, else (6-hourly part) next_6_hours. Days covered less
/// than 18 h keep only what is complete (sums need the whole day). Wind at 10 m; no Rs. Units from
/// properties.meta.units. Only days in [start, end] are kept.
domain::Expected<domain::WeatherSeries> parse_met_norway(std::string_view body,
                                                         const domain::TimeZone& zone,
                                                         domain::Date start, domain::Date end);

/// Downloads the forecast and keeps the days of `request` it covers; an empty overlap is an
/// unavailable error ("no forecast days in range").
domain::Expected<domain::WeatherSeries> fetch_met_norway(const FetchRequest& request,
                                                         const SourcesConfig& config,
                                                         HttpClient& http,
                                                         const FetchControl& control,
                                                         const TransferCallback& on_event = {});

}  // namespace evapo::sources
