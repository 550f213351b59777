#pragma once

#include <memory>
#include <span>

#include <evapo/storage/sqlite_database.hpp>
#include <evapo/storage/weather_cache.hpp>

namespace evapo::storage {

/// WeatherCache on SQLite: table weather_downloads, one row per (source, grid cell, download)
/// with its days packed in a blob.
class SqliteWeatherCache final : public WeatherCache {
 public:
  /// Migrates module "weather_cache" in `db`. Errors: those of SqliteDatabase::migrate.
  static domain::Expected<std::shared_ptr<SqliteWeatherCache>> create(
      std::shared_ptr<SqliteDatabase> db);

  /// The schema's steps, oldest first (a test builds an older cache from the first of them).
  static std::span<const Migration> migrations();

  domain::Expected<CacheLookup> lookup(const CacheQuery& query,
                                       std::chrono::system_clock::time_point now) override;
  domain::Expected<void> put(const CacheQuery& query, const domain::WeatherSeries& series,
                             domain::Date today,
                             std::chrono::system_clock::time_point now) override;
  domain::Expected<std::optional<CachedElevation>> get_elevation(
      double latitude_deg, double longitude_deg,
      std::chrono::system_clock::time_point now) override;
  domain::Expected<void> put_elevation(double latitude_deg, double longitude_deg,
                                       const CachedElevation& elevation,
                                       std::chrono::system_clock::time_point now) override;
  domain::Expected<long long> purge_expired(std::chrono::system_clock::time_point now) override;

 private:
  explicit SqliteWeatherCache(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace evapo::storage
