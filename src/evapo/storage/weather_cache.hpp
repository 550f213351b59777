#pragma once

// The cache of downloaded weather data: one interface, one file per backend, the backend chosen
// by URL (`sqlite:///abs/path.db`, `sqlite://:memory:`, `postgresql://...`).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <evapo/domain/date.hpp>
#include <evapo/domain/error.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::storage {

/// Points are cached on a 0.01° grid (about 1 km), so nearby requests share downloads.
inline constexpr double kCacheGridDeg = 0.01;

/// Whole grid cells of a coordinate: round(deg / kCacheGridDeg).
long long cache_grid_index(double deg);

/// How long a downloaded day stays fresh, by its age relative to the location's `today`:
/// future days 1 h, the last 7 days 12 h, 7-30 days old 1 day, older 30 days.
std::chrono::seconds cache_lifetime(domain::Date day, domain::Date today);

/// What to look up or store: one source's days for a (rounded) point.
struct CacheQuery {
  domain::SourceId source = domain::SourceId::nasa_power;
  double latitude_deg = 0.0;
  double longitude_deg = 0.0;
  domain::Date start_date{};
  domain::Date end_date{};  // inclusive
};

/// A point's elevation as resolved once (elevation lookups are upstream calls too).
struct CachedElevation {
  double elevation_m = 0.0;
  std::string source;  // "open_meteo" | "etopo20"
  bool over_sea = false;
};

/// Elevation entries stay fresh this long (terrain does not change).
inline constexpr std::chrono::seconds kElevationLifetime{365LL * 24 * 3600};

/// What the cache holds of a query's days.
struct CacheLookup {
  /// The fresh days outside `to_download` (days the source did not deliver are left out, as
  /// they were stored all-missing).
  domain::WeatherSeries series;
  /// The smallest range covering every day absent or expired at `now`, still to be downloaded;
  /// nullopt when every day is fresh (a full hit).
  std::optional<std::pair<domain::Date, domain::Date>> to_download;
};

/// What a backend's lookup returns, from the fresh stored days of the query's range (any order;
/// all-missing placeholders included): the range still to download and the days outside it.
CacheLookup lookup_from_fresh_days(const CacheQuery& query, domain::WeatherSeries fresh_days);

class WeatherCache {
 public:
  virtual ~WeatherCache() = default;

  /// The fresh days of [start, end] and the range still to download. A request that overlaps
  /// an earlier one (a recent window a day later, a longer period) downloads only the rest.
  /// Errors: unavailable/internal from the backend.
  virtual domain::Expected<CacheLookup> lookup(const CacheQuery& query,
                                               std::chrono::system_clock::time_point now) = 0;

  /// The cached series when EVERY day of [start, end] is stored and fresh at `now`; nullopt
  /// otherwise.
  domain::Expected<std::optional<domain::WeatherSeries>> get(
      const CacheQuery& query, std::chrono::system_clock::time_point now) {
    auto found = lookup(query, now);
    if (!found) return domain::fail(found.error());
    if (found->to_download) return std::optional<domain::WeatherSeries>{};
    return std::optional<domain::WeatherSeries>{std::move(found->series)};
  }

  /// Stores `series` for every day of [start, end] (days absent from the series are stored as
  /// missing, so a source's known gaps do not cause refetching), each with cache_lifetime(day,
  /// today) from `now`. Replaces what was stored.
  virtual domain::Expected<void> put(const CacheQuery& query, const domain::WeatherSeries& series,
                                     domain::Date today,
                                     std::chrono::system_clock::time_point now) = 0;

  /// The elevation stored for the point's cell, when fresh at `now`; nullopt otherwise.
  virtual domain::Expected<std::optional<CachedElevation>> get_elevation(
      double latitude_deg, double longitude_deg, std::chrono::system_clock::time_point now) = 0;

  /// Stores the elevation of the point's cell for kElevationLifetime.
  virtual domain::Expected<void> put_elevation(double latitude_deg, double longitude_deg,
                                               const CachedElevation& elevation,
                                               std::chrono::system_clock::time_point now) = 0;

  /// Deletes what has expired at `now` (a backend storing whole downloads deletes one once all
  /// its days have); returns how many days and elevations it removed.
  virtual domain::Expected<long long> purge_expired(std::chrono::system_clock::time_point now) = 0;
};

/// Opens the backend named by `url`: `sqlite:///path/to/cache.db` (absolute path after the third
/// slash), `sqlite://relative/path.db`, `sqlite://:memory:`, or `postgresql://...` (libpq URI;
/// shared by every worker of a cluster). Errors: invalid_argument for an unknown scheme,
/// unavailable when the store cannot be opened.
domain::Expected<std::shared_ptr<WeatherCache>> open_weather_cache(std::string_view url);

}  // namespace evapo::storage
