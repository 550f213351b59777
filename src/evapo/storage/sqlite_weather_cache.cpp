#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include <evapo/domain/source_id.hpp>
#include <evapo/storage/sqlite_weather_cache.hpp>

namespace evapo::storage {

using domain::Expected;
using domain::fail;

namespace {

constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE weather_days ("
     " source TEXT NOT NULL, lat_cell INTEGER NOT NULL, lon_cell INTEGER NOT NULL,"
     " date TEXT NOT NULL,"
     " tmax_c REAL, tmin_c REAL, tmean_c REAL, tdew_c REAL, rh_max_pct REAL, rh_min_pct REAL,"
     " rh_mean_pct REAL, wind_m_s REAL, wind_height_m REAL, rs_mj_m2 REAL, precip_mm REAL,"
     " upstream_eto_mm REAL, elevation_m REAL, utc_offset_seconds INTEGER NOT NULL,"
     " fetched_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
     " PRIMARY KEY (source, lat_cell, lon_cell, date)) WITHOUT ROWID;"
     "CREATE INDEX weather_days_expiry ON weather_days (expires_at);"},
    {2,
     "CREATE TABLE elevations ("
     " lat_cell INTEGER NOT NULL, lon_cell INTEGER NOT NULL, elevation_m REAL NOT NULL,"
     " source TEXT NOT NULL, over_sea INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
     " PRIMARY KEY (lat_cell, lon_cell)) WITHOUT ROWID;"},
};

std::int64_t unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

SqlValue nullable(double value) {
  if (domain::is_missing(value)) return nullptr;
  return value;
}

double read_nullable(const SqliteRow& row, int index) {
  return row.is_null(index) ? domain::kMissing : row.real(index);
}

}  // namespace

Expected<std::shared_ptr<SqliteWeatherCache>> SqliteWeatherCache::create(
    std::shared_ptr<SqliteDatabase> db) {
  if (auto migrated = db->migrate("weather_cache", kMigrations); !migrated) {
    return fail(migrated.error());
  }
  return std::shared_ptr<SqliteWeatherCache>(new SqliteWeatherCache(std::move(db)));
}

Expected<CacheLookup> SqliteWeatherCache::lookup(const CacheQuery& query,
                                                 std::chrono::system_clock::time_point now) {
  const int expected_days = domain::days_between(query.start_date, query.end_date) + 1;
  if (expected_days <= 0) return lookup_from_fresh_days(query, {});
  const SqlValue params[] = {std::string(domain::to_string(query.source)),
                             std::int64_t{cache_grid_index(query.latitude_deg)},
                             std::int64_t{cache_grid_index(query.longitude_deg)},
                             domain::format_iso_date(query.start_date),
                             domain::format_iso_date(query.end_date),
                             unix_seconds(now)};
  domain::WeatherSeries series;
  series.source = query.source;
  series.days.reserve(static_cast<std::size_t>(expected_days));
  auto ok = db_->query(
      "SELECT date, tmax_c, tmin_c, tmean_c, tdew_c, rh_max_pct, rh_min_pct, rh_mean_pct,"
      " wind_m_s, wind_height_m, rs_mj_m2, precip_mm, upstream_eto_mm, elevation_m,"
      " utc_offset_seconds FROM weather_days WHERE source = ?1 AND lat_cell = ?2 AND"
      " lon_cell = ?3 AND date BETWEEN ?4 AND ?5 AND expires_at > ?6 ORDER BY date",
      params, [&](const SqliteRow& row) {
        domain::WeatherDay day;
        day.date = domain::parse_iso_date(row.text(0)).value_or(domain::Date{});
        day.tmax_c = read_nullable(row, 1);
        day.tmin_c = read_nullable(row, 2);
        day.tmean_c = read_nullable(row, 3);
        day.tdew_c = read_nullable(row, 4);
        day.rh_max_pct = read_nullable(row, 5);
        day.rh_min_pct = read_nullable(row, 6);
        day.rh_mean_pct = read_nullable(row, 7);
        day.wind_m_s = read_nullable(row, 8);
        day.wind_height_m = row.is_null(9) ? 2.0 : row.real(9);
        day.rs_mj_m2 = read_nullable(row, 10);
        day.precip_mm = read_nullable(row, 11);
        day.upstream_eto_mm = read_nullable(row, 12);
        series.elevation_m = read_nullable(row, 13);
        series.utc_offset_seconds = static_cast<int>(row.int64(14));
        series.days.push_back(day);
      });
  if (!ok) return fail(ok.error());
  return lookup_from_fresh_days(query, std::move(series));
}

Expected<void> SqliteWeatherCache::put(const CacheQuery& query, const domain::WeatherSeries& series,
                                       domain::Date today,
                                       std::chrono::system_clock::time_point now) {
  std::unordered_map<int, const domain::WeatherDay*> by_offset;
  for (const auto& day : series.days) {
    by_offset[domain::days_between(query.start_date, day.date)] = &day;
  }
  const int count = domain::days_between(query.start_date, query.end_date) + 1;
  const std::string source(domain::to_string(query.source));
  const std::int64_t lat_cell = cache_grid_index(query.latitude_deg);
  const std::int64_t lon_cell = cache_grid_index(query.longitude_deg);
  const std::int64_t fetched_at = unix_seconds(now);
  return db_->transaction([&]() -> Expected<void> {
    for (int offset = 0; offset < count; ++offset) {
      const domain::Date date = domain::add_days(query.start_date, offset);
      domain::WeatherDay empty;
      empty.date = date;
      const auto it = by_offset.find(offset);
      const domain::WeatherDay& d = it != by_offset.end() ? *it->second : empty;
      const std::int64_t expires_at = fetched_at + cache_lifetime(date, today).count();
      const std::array<SqlValue, 20> params = {source,
                                               lat_cell,
                                               lon_cell,
                                               domain::format_iso_date(date),
                                               nullable(d.tmax_c),
                                               nullable(d.tmin_c),
                                               nullable(d.tmean_c),
                                               nullable(d.tdew_c),
                                               nullable(d.rh_max_pct),
                                               nullable(d.rh_min_pct),
                                               nullable(d.rh_mean_pct),
                                               nullable(d.wind_m_s),
                                               d.wind_height_m,
                                               nullable(d.rs_mj_m2),
                                               nullable(d.precip_mm),
                                               nullable(d.upstream_eto_mm),
                                               nullable(series.elevation_m),
                                               std::int64_t{series.utc_offset_seconds},
                                               fetched_at,
                                               expires_at};
      auto ok = db_->execute(
          "INSERT OR REPLACE INTO weather_days VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
          " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
          params);
      if (!ok) return fail(ok.error());
    }
    return {};
  });
}

Expected<std::optional<CachedElevation>> SqliteWeatherCache::get_elevation(
    double latitude_deg, double longitude_deg, std::chrono::system_clock::time_point now) {
  const SqlValue params[] = {std::int64_t{cache_grid_index(latitude_deg)},
                             std::int64_t{cache_grid_index(longitude_deg)}, unix_seconds(now)};
  std::optional<CachedElevation> found;
  auto ok = db_->query(
      "SELECT elevation_m, source, over_sea FROM elevations WHERE lat_cell = ?1 AND"
      " lon_cell = ?2 AND expires_at > ?3",
      params, [&](const SqliteRow& row) {
        found = CachedElevation{row.real(0), row.text(1), row.int64(2) != 0};
      });
  if (!ok) return fail(ok.error());
  return found;
}

Expected<void> SqliteWeatherCache::put_elevation(double latitude_deg, double longitude_deg,
                                                 const CachedElevation& elevation,
                                                 std::chrono::system_clock::time_point now) {
  const SqlValue params[] = {std::int64_t{cache_grid_index(latitude_deg)},
                             std::int64_t{cache_grid_index(longitude_deg)},
                             elevation.elevation_m,
                             elevation.source,
                             std::int64_t{elevation.over_sea ? 1 : 0},
                             unix_seconds(now) + kElevationLifetime.count()};
  auto ok =
      db_->execute("INSERT OR REPLACE INTO elevations VALUES (?1, ?2, ?3, ?4, ?5, ?6)", params);
  if (!ok) return fail(ok.error());
  return {};
}

Expected<long long> SqliteWeatherCache::purge_expired(std::chrono::system_clock::time_point now) {
  const SqlValue params[] = {unix_seconds(now)};
  auto deleted = db_->execute("DELETE FROM weather_days WHERE expires_at <= ?1", params);
  if (!deleted) return fail(deleted.error());
  auto elevations = db_->execute("DELETE FROM elevations WHERE expires_at <= ?1", params);
  if (!elevations) return fail(elevations.error());
  return static_cast<long long>(*deleted + *elevations);
}

}  // namespace evapo::storage
