#pragma once

#include <evapo/server/router.hpp>

namespace evapo::server {

class PlaceSearchService;

/// GET /api/v1/geocoding/search?name=&language=&count=: places by name through `service`
/// (Open-Meteo's geocoding, cached). name 2..200 bytes after trimming, language two lower-case
/// letters (default en), count 1..20 (default 8); 422 VALIDATION_ERROR otherwise. 200
/// {"results":[{id, name, latitude, longitude, elevation_m, feature_code, country_code, country,
/// admin1, admin2, timezone, population}]} (absent fields null); upstream failures map as every
/// error does (503, 502, 504). Rate-limited per client.
void add_place_search_routes(Router& router, PlaceSearchService& service);

}  // namespace evapo::server
