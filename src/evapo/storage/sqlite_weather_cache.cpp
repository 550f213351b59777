#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <iterator>
#include <string>
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
    // One row per download instead of one per day (a cache: the old rows are dropped, not
    // converted). Days are numbered from 1970-01-01; `days` packs kVariables doubles per day
    // from first_day to last_day; a day's expiry is fetched_at + cache_lifetime(day, today);
    // expires_at is the latest of them.
    {3,
     "DROP TABLE weather_days;"
     "CREATE TABLE weather_downloads ("
     " id INTEGER PRIMARY KEY, source TEXT NOT NULL, lat_cell INTEGER NOT NULL,"
     " lon_cell INTEGER NOT NULL, first_day INTEGER NOT NULL, last_day INTEGER NOT NULL,"
     " today INTEGER NOT NULL, elevation_m REAL, utc_offset_seconds INTEGER NOT NULL,"
     " fetched_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, days BLOB NOT NULL);"
     "CREATE INDEX weather_downloads_cell ON weather_downloads"
     " (source, lat_cell, lon_cell, last_day);"
     "CREATE INDEX weather_downloads_expiry ON weather_downloads (expires_at);"},
};

// The variables of a day in the order they are packed: native doubles, NaN for missing (the
// cache file belongs to this host).
constexpr double domain::WeatherDay::*kVariables[] = {
    &domain::WeatherDay::tmax_c,        &domain::WeatherDay::tmin_c,
    &domain::WeatherDay::tmean_c,       &domain::WeatherDay::tdew_c,
    &domain::WeatherDay::rh_max_pct,    &domain::WeatherDay::rh_min_pct,
    &domain::WeatherDay::rh_mean_pct,   &domain::WeatherDay::wind_m_s,
    &domain::WeatherDay::wind_height_m, &domain::WeatherDay::rs_mj_m2,
    &domain::WeatherDay::precip_mm,     &domain::WeatherDay::upstream_eto_mm,
};
constexpr std::size_t kDayBytes = std::size(kVariables) * sizeof(double);

void pack_day(const domain::WeatherDay& day, char* out) {
  for (const auto member : kVariables) {
    std::memcpy(out, &(day.*member), sizeof(double));
    out += sizeof(double);
  }
}

domain::WeatherDay unpack_day(const char* in, domain::Date date) {
  domain::WeatherDay day;
  day.date = date;
  for (const auto member : kVariables) {
    std::memcpy(&(day.*member), in, sizeof(double));
    in += sizeof(double);
  }
  return day;
}

std::int64_t day_number(domain::Date date) {
  return std::chrono::sys_days{date}.time_since_epoch().count();
}

domain::Date from_day_number(std::int64_t days) {
  return domain::Date{std::chrono::sys_days{std::chrono::days{days}}};
}

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

std::span<const Migration> SqliteWeatherCache::migrations() {
  return kMigrations;
}

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
  const std::int64_t first = day_number(query.start_date);
  const std::int64_t now_s = unix_seconds(now);
  const SqlValue params[] = {std::string(domain::to_string(query.source)),
                             std::int64_t{cache_grid_index(query.latitude_deg)},
                             std::int64_t{cache_grid_index(query.longitude_deg)},
                             first,
                             day_number(query.end_date),
                             now_s};
  // Per day of the range: the newest download holding it and that day's expiry.
  struct Slot {
    domain::WeatherDay day;
    std::int64_t expires_at = 0;
    bool stored = false;
  };
  std::vector<Slot> slots(static_cast<std::size_t>(expected_days));
  domain::WeatherSeries series;
  series.source = query.source;
  bool malformed = false;
  auto ok = db_->query(
      "SELECT first_day, today, elevation_m, utc_offset_seconds, fetched_at, days"
      " FROM weather_downloads WHERE source = ?1 AND lat_cell = ?2 AND lon_cell = ?3 AND"
      " last_day >= ?4 AND first_day <= ?5 AND expires_at > ?6 ORDER BY id",
      params, [&](const SqliteRow& row) {
        const std::int64_t row_first = row.int64(0);
        const domain::Date today = from_day_number(row.int64(1));
        const std::int64_t fetched_at = row.int64(4);
        const std::string days = row.blob(5);
        if (days.size() % kDayBytes != 0) {
          malformed = true;
          return;
        }
        series.elevation_m = read_nullable(row, 2);
        series.utc_offset_seconds = static_cast<int>(row.int64(3));
        const auto count = static_cast<std::int64_t>(days.size() / kDayBytes);
        for (std::int64_t i = 0; i < count; ++i) {
          const std::int64_t offset = row_first + i - first;
          if (offset < 0 || offset >= expected_days) continue;
          Slot& slot = slots[static_cast<std::size_t>(offset)];
          slot.day = unpack_day(days.data() + i * kDayBytes, from_day_number(row_first + i));
          slot.expires_at = fetched_at + cache_lifetime(slot.day.date, today).count();
          slot.stored = true;
        }
      });
  if (!ok) return fail(ok.error());
  if (malformed) return fail(domain::Error::internal("weather cache: a download of bad size"));
  series.days.reserve(slots.size());
  for (const auto& slot : slots) {
    if (slot.stored && slot.expires_at > now_s) series.days.push_back(slot.day);
  }
  return lookup_from_fresh_days(query, std::move(series));
}

Expected<void> SqliteWeatherCache::put(const CacheQuery& query, const domain::WeatherSeries& series,
                                       domain::Date today,
                                       std::chrono::system_clock::time_point now) {
  const int count = domain::days_between(query.start_date, query.end_date) + 1;
  if (count <= 0) return {};
  // Every day of the range; a day the source did not deliver stays all-missing.
  std::vector<domain::WeatherDay> days(static_cast<std::size_t>(count));
  for (int offset = 0; offset < count; ++offset) {
    days[static_cast<std::size_t>(offset)].date = domain::add_days(query.start_date, offset);
  }
  for (const auto& day : series.days) {
    const int offset = domain::days_between(query.start_date, day.date);
    if (offset >= 0 && offset < count) days[static_cast<std::size_t>(offset)] = day;
  }
  SqlBlob packed;
  packed.bytes.resize(days.size() * kDayBytes);
  std::int64_t longest_s = 0;
  for (std::size_t i = 0; i < days.size(); ++i) {
    pack_day(days[i], packed.bytes.data() + i * kDayBytes);
    longest_s = std::max<std::int64_t>(longest_s, cache_lifetime(days[i].date, today).count());
  }
  const std::int64_t fetched_at = unix_seconds(now);
  const std::int64_t first = day_number(query.start_date);
  const std::int64_t last = day_number(query.end_date);
  SqlValue cell[] = {std::string(domain::to_string(query.source)),
                     std::int64_t{cache_grid_index(query.latitude_deg)},
                     std::int64_t{cache_grid_index(query.longitude_deg)}, first, last};
  return db_->transaction([&]() -> Expected<void> {
    // Downloads this one covers entirely hold nothing newer: they go.
    auto replaced = db_->execute(
        "DELETE FROM weather_downloads WHERE source = ?1 AND lat_cell = ?2 AND lon_cell = ?3"
        " AND first_day >= ?4 AND last_day <= ?5",
        cell);
    if (!replaced) return fail(replaced.error());
    const SqlValue params[] = {std::move(cell[0]),
                               cell[1],
                               cell[2],
                               first,
                               last,
                               day_number(today),
                               nullable(series.elevation_m),
                               std::int64_t{series.utc_offset_seconds},
                               fetched_at,
                               fetched_at + longest_s,
                               std::move(packed)};
    auto inserted = db_->execute(
        "INSERT INTO weather_downloads (source, lat_cell, lon_cell, first_day, last_day, today,"
        " elevation_m, utc_offset_seconds, fetched_at, expires_at, days)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params);
    if (!inserted) return fail(inserted.error());
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
  long long removed = 0;
  auto purged = db_->transaction([&]() -> Expected<void> {
    // Counted in days, as when each day had a row of its own.
    auto days = db_->query(
        "SELECT COALESCE(SUM(last_day - first_day + 1), 0) FROM weather_downloads"
        " WHERE expires_at <= ?1",
        params, [&](const SqliteRow& row) { removed += row.int64(0); });
    if (!days) return fail(days.error());
    auto deleted = db_->execute("DELETE FROM weather_downloads WHERE expires_at <= ?1", params);
    if (!deleted) return fail(deleted.error());
    auto elevations = db_->execute("DELETE FROM elevations WHERE expires_at <= ?1", params);
    if (!elevations) return fail(elevations.error());
    removed += *elevations;
    return {};
  });
  if (!purged) return fail(purged.error());
  return removed;
}

}  // namespace evapo::storage
