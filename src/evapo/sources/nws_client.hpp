#pragma once

// US National Weather Service: GET /points/{lat},{lon} then GET /gridpoints/{wfo}/{x},{y}.

#include <string>
#include <string_view>

#include <evapo/domain/error.hpp>
#include <evapo/domain/time_zone.hpp>
#include <evapo/domain/weather_day.hpp>
#include <evapo/sources/fetch_request.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/sources/sources_config.hpp>

namespace evapo::sources {

/// The forecast grid cell of a point.
struct NwsGridPoint {
  std::string grid_id;  // forecast office, e.g. "TAE"
  int grid_x = 0;
  int grid_y = 0;
  std::string time_zone;  // IANA name, e.g. "America/New_York"
};

/// True inside the contiguous-USA box (lon -125..-66, lat 24..49) or Alaska/Hawaii/Puerto Rico.
bool nws_covers(const domain::Location& location);

/// base_url + "/points/{lat},{lon}" with 4 decimals (the API redirects longer ones).
std::string nws_points_url(std::string_view base_url, const domain::Location& location);

/// base_url + "/gridpoints/{wfo}/{x},{y}".
std::string nws_gridpoints_url(std::string_view base_url, const NwsGridPoint& grid);

/// Reads properties.gridId/gridX/gridY/timeZone; upstream error when absent or not a grid
/// (office 2-4 of [A-Z0-9], cells 0..10000: they go into the next URL).
domain::Expected<NwsGridPoint> parse_nws_points(std::string_view body);

/// Parses raw grid data: every layer's `validTime` interval ("<start>/<ISO duration>") is
/// expanded to hours, then aggregated to the local days of `zone` (DST-aware per hour):
/// temperature, max/minTemperature, dewpoint, relativeHumidity, windSpeed (wmoUnit:km_h-1 or m_s-1,
/// 10 m), quantitativePrecipitation (mm, split over its hours). Units read from each layer's `uom`.
/// No Rs. Only days in [start, end] are kept.
domain::Expected<domain::WeatherSeries> parse_nws_gridpoints(std::string_view body,
                                                             const domain::TimeZone& zone,
                                                             domain::Date start, domain::Date end);

/// The error a non-2xx answer means: problem+json `title`/`detail` when present; 404 InvalidPoint
/// is not_found.
domain::Error nws_error(long status, std::string_view body);

/// GET points, then gridpoints; keeps the days of `request`. A point outside nws_covers() is
/// not_found without any request; no day in range is unavailable.
domain::Expected<domain::WeatherSeries> fetch_nws(const FetchRequest& request,
                                                  const SourcesConfig& config, HttpClient& http,
                                                  const FetchControl& control,
                                                  const TransferCallback& on_event = {});

}  // namespace evapo::sources
