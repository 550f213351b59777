#pragma once

// Response builders, one per upstream API, each in that API's exact wire format (checked
// field for field against the recorded fixtures in shared/fixtures/weather).

#include <evapo/domain/weather_day.hpp>

#include "sim_types.hpp"

namespace evapo::sim {

/// GET /api/temporal/daily/point (format=JSON; community AG/RE/SB changes the Rs unit).
SimResponse nasa_power_response(const Query& query, const ResponseContext& context);

/// GET /v1/archive and GET /v1/forecast with daily variables.
SimResponse open_meteo_response(domain::SourceId source, const Query& query,
                                const ResponseContext& context);

/// The two Locationforecast products: compact lacks dew point, cloud layers and 6-hour extremes.
enum class MetProduct { compact, complete };

/// GET /weatherapi/locationforecast/2.0/{compact,complete}.
SimResponse met_norway_response(const Query& query, const ResponseContext& context,
                                MetProduct product);

/// GET /points/{lat},{lon}.
SimResponse nws_points_response(const Query& query, const ResponseContext& context);

/// GET /gridpoints/{wfo}/{x},{y}.
SimResponse nws_gridpoints_response(const Query& query, const ResponseContext& context);

/// GET /v1/elevation?latitude=..&longitude=..
SimResponse elevation_response(const Query& query, const ResponseContext& context);

/// GET /v1/search?name=..&count=..&language=.. (Open-Meteo geocoding) from a small built-in
/// gazetteer.
SimResponse geocoding_response(const Query& query);

/// Height of the point from the context's grid (0 without one).
double point_elevation_m(const ResponseContext& context, double latitude_deg, double longitude_deg);

/// Round to `decimals` places, for bodies that look like the real ones.
double round_to(double value, int decimals);

}  // namespace evapo::sim
