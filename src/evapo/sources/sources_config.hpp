#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::sources {

/// Where and how evapo talks to the weather APIs. Base URLs carry scheme, host and optional
/// port (no trailing slash); paths and queries stay the real APIs'.
struct SourcesConfig {
  std::string nasa_power_url = "https://power.larc.nasa.gov";
  std::string open_meteo_archive_url = "https://archive-api.open-meteo.com";
  std::string open_meteo_forecast_url = "https://api.open-meteo.com";
  std::string met_norway_url = "https://api.met.no";
  std::string nws_url = "https://api.weather.gov";
  std::string elevation_url = "https://api.open-meteo.com";            // path /v1/elevation
  std::string geocoding_url = "https://geocoding-api.open-meteo.com";  // path /v1/search
  /// Sources that may be used at all (EVAPO_SOURCES); all five by default.
  std::vector<domain::SourceId> enabled_sources{std::begin(domain::kAllSources),
                                                std::end(domain::kAllSources)};
  /// Sent on every request; MET Norway and NWS refuse generic agents.
  std::string user_agent = "evapo/0.1 (+https://github.com/evapo/evapo; evapo@example.org)";
  std::chrono::milliseconds request_timeout{30000};  // per attempt
  int max_attempts = 3;                              // first try + retries
  std::chrono::milliseconds backoff_base{500};       // doubled each retry, with jitter
  std::chrono::milliseconds backoff_max{8000};
  /// Longest date span sent in one request; longer spans are split into chunks.
  int nasa_power_chunk_days = 3660;
  int open_meteo_chunk_days = 1826;
  /// ETOPO20 netCDF for the offline elevation fallback; empty: search next to the executable,
  /// then share/evapo in the source tree (see etopo_grid.hpp).
  std::string etopo_path;
  /// Time-zone boundary index (time_zones.bin); empty: searched like the ETOPO grid
  /// (see time_zone_lookup.hpp).
  std::string time_zones_path;
  /// Natural Earth land polygons (TopoJSON) deciding "over the sea"; empty: land-50m.json in
  /// share/evapo, found as etopo_path is (see land_mask.hpp).
  std::string land_path;

  /// Defaults overridden by EVAPO_NASA_POWER_URL, EVAPO_OPEN_METEO_ARCHIVE_URL,
  /// EVAPO_OPEN_METEO_FORECAST_URL, EVAPO_MET_NORWAY_URL, EVAPO_NWS_URL, EVAPO_ELEVATION_URL,
  /// EVAPO_GEOCODING_URL, EVAPO_SOURCES (comma list of source ids), EVAPO_USER_AGENT,
  /// EVAPO_HTTP_TIMEOUT_MS, EVAPO_HTTP_MAX_ATTEMPTS, EVAPO_ETOPO_PATH, EVAPO_TIME_ZONES_PATH,
  /// EVAPO_LAND_PATH. invalid_argument for an unknown source id or a malformed number.
  static domain::Expected<SourcesConfig> from_environment();

  /// True when `id` is in enabled_sources.
  bool is_enabled(domain::SourceId id) const;
};

/// Parses a comma list of source ids ("nasa_power,nws"); spaces ignored; invalid_argument
/// naming the first unknown id.
domain::Expected<std::vector<domain::SourceId>> parse_source_list(std::string_view text);

}  // namespace evapo::sources
