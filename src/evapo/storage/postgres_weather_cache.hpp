#pragma once

#include <memory>

#include <evapo/storage/postgres_database.hpp>
#include <evapo/storage/weather_cache.hpp>

namespace evapo::storage {

/// WeatherCache on PostgreSQL, shared by every worker of a cluster: a download made by one
/// worker serves the identical request run by another. Same rows and lifetimes as SQLite; a
/// series is written in one statement (arrays unnested), doubles round-trip exactly.
class PostgresWeatherCache final : public WeatherCache {
 public:
  /// Migrates module "weather_cache". Errors: those of PostgresDatabase::migrate.
  static domain::Expected<std::shared_ptr<PostgresWeatherCache>> create(
      std::shared_ptr<PostgresDatabase> db);

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
  explicit PostgresWeatherCache(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace evapo::storage
