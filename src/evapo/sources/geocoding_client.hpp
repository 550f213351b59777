#pragma once

// Place search by name: Open-Meteo's geocoding API (GeoNames data), GET /v1/search.

#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/domain/weather_day.hpp>
#include <evapo/sources/fetch_control.hpp>
#include <evapo/sources/sources_config.hpp>

namespace evapo::sources {

class HttpClient;

/// What is asked: a place name or postal code, the language of the names returned (two
/// lower-case letters, e.g. "en", "pt"), and how many places at most (1..100).
struct PlaceQuery {
  std::string name;
  std::string language = "en";
  int count = 10;
};

/// One place found. Empty strings and a NaN elevation are fields the API did not send.
struct Place {
  long long id = 0;  // GeoNames id
  std::string name;
  double latitude_deg = 0.0;
  double longitude_deg = 0.0;
  double elevation_m = domain::kMissing;
  std::string feature_code;  // e.g. "PPLA" (seat of a first-order division)
  std::string country_code;  // ISO 3166-1 alpha-2
  std::string country;
  std::string admin1;    // state, region
  std::string admin2;    // municipality, county
  std::string timezone;  // IANA name
  long long population = 0;
};

/// <base>/v1/search?name=..&count=..&language=..&format=json, the name percent-encoded.
std::string geocoding_url(std::string_view base_url, const PlaceQuery& query);

/// Parses a /v1/search body: {"results":[...],"generationtime_ms":..}; no "results" means none
/// found. upstream error for {"error":true,"reason":..} or a body of another shape.
domain::Expected<std::vector<Place>> parse_geocoding(std::string_view body);

/// Asks the API (tag "geocoding"). Errors: unavailable, timeout, cancelled from the transfer;
/// upstream/unavailable from the status (error_for_status) or the body.
domain::Expected<std::vector<Place>> search_places(const PlaceQuery& query,
                                                   const SourcesConfig& config, HttpClient& http,
                                                   const FetchControl& control = {});

}  // namespace evapo::sources
