#include <array>
#include <charconv>
#include <unordered_map>

#include <evapo/domain/source_id.hpp>
#include <evapo/storage/postgres_weather_cache.hpp>

namespace evapo::storage {

using domain::Expected;
using domain::fail;

namespace {

constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE weather_days ("
     " source TEXT NOT NULL, lat_cell INTEGER NOT NULL, lon_cell INTEGER NOT NULL,"
     " date TEXT NOT NULL,"
     " tmax_c DOUBLE PRECISION, tmin_c DOUBLE PRECISION, tmean_c DOUBLE PRECISION,"
     " tdew_c DOUBLE PRECISION, rh_max_pct DOUBLE PRECISION, rh_min_pct DOUBLE PRECISION,"
     " rh_mean_pct DOUBLE PRECISION, wind_m_s DOUBLE PRECISION, wind_height_m DOUBLE PRECISION,"
     " rs_mj_m2 DOUBLE PRECISION, precip_mm DOUBLE PRECISION, upstream_eto_mm DOUBLE PRECISION,"
     " elevation_m DOUBLE PRECISION, utc_offset_seconds INTEGER NOT NULL,"
     " fetched_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,"
     " PRIMARY KEY (source, lat_cell, lon_cell, date));"
     "CREATE INDEX weather_days_expiry ON weather_days (expires_at);"
     "CREATE TABLE elevations ("
     " lat_cell INTEGER NOT NULL, lon_cell INTEGER NOT NULL, elevation_m DOUBLE PRECISION NOT NULL,"
     " source TEXT NOT NULL, over_sea BOOLEAN NOT NULL, expires_at BIGINT NOT NULL,"
     " PRIMARY KEY (lat_cell, lon_cell));"},
};

constexpr int kVariables = 12;  // tmax_c .. upstream_eto_mm, in column order

constexpr PgStatement kLookup{
    "weather_lookup",
    "SELECT date, tmax_c, tmin_c, tmean_c, tdew_c, rh_max_pct, rh_min_pct, rh_mean_pct,"
    " wind_m_s, wind_height_m, rs_mj_m2, precip_mm, upstream_eto_mm, elevation_m,"
    " utc_offset_seconds FROM weather_days WHERE source = $1 AND lat_cell = $2 AND"
    " lon_cell = $3 AND date BETWEEN $4 AND $5 AND expires_at > $6"};
// One row per day of the range from parallel arrays; a later download replaces the row.
constexpr PgStatement kPutRows{
    "weather_put_rows",
    "INSERT INTO weather_days (source, lat_cell, lon_cell, date, tmax_c, tmin_c, tmean_c,"
    " tdew_c, rh_max_pct, rh_min_pct, rh_mean_pct, wind_m_s, wind_height_m, rs_mj_m2,"
    " precip_mm, upstream_eto_mm, elevation_m, utc_offset_seconds, fetched_at, expires_at)"
    " SELECT $1, $2::int, $3::int, d.date, d.tmax_c, d.tmin_c, d.tmean_c, d.tdew_c,"
    " d.rh_max_pct, d.rh_min_pct, d.rh_mean_pct, d.wind_m_s, d.wind_height_m, d.rs_mj_m2,"
    " d.precip_mm, d.upstream_eto_mm, $18::float8, $19::int, $20::bigint, d.expires_at"
    " FROM unnest($4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],"
    " $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::float8[],"
    " $15::float8[], $16::float8[], $17::bigint[]) AS d(date, tmax_c, tmin_c, tmean_c, tdew_c,"
    " rh_max_pct, rh_min_pct, rh_mean_pct, wind_m_s, wind_height_m, rs_mj_m2, precip_mm,"
    " upstream_eto_mm, expires_at)"
    " ON CONFLICT (source, lat_cell, lon_cell, date) DO UPDATE SET"
    " tmax_c = EXCLUDED.tmax_c, tmin_c = EXCLUDED.tmin_c, tmean_c = EXCLUDED.tmean_c,"
    " tdew_c = EXCLUDED.tdew_c, rh_max_pct = EXCLUDED.rh_max_pct,"
    " rh_min_pct = EXCLUDED.rh_min_pct, rh_mean_pct = EXCLUDED.rh_mean_pct,"
    " wind_m_s = EXCLUDED.wind_m_s, wind_height_m = EXCLUDED.wind_height_m,"
    " rs_mj_m2 = EXCLUDED.rs_mj_m2, precip_mm = EXCLUDED.precip_mm,"
    " upstream_eto_mm = EXCLUDED.upstream_eto_mm, elevation_m = EXCLUDED.elevation_m,"
    " utc_offset_seconds = EXCLUDED.utc_offset_seconds, fetched_at = EXCLUDED.fetched_at,"
    " expires_at = EXCLUDED.expires_at"};
constexpr PgStatement kGetElevation{
    "elevation_get",
    "SELECT elevation_m, source, over_sea FROM elevations WHERE lat_cell = $1 AND"
    " lon_cell = $2 AND expires_at > $3"};
constexpr PgStatement kPutElevation{
    "elevation_put",
    "INSERT INTO elevations VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (lat_cell, lon_cell)"
    " DO UPDATE SET elevation_m = EXCLUDED.elevation_m, source = EXCLUDED.source,"
    " over_sea = EXCLUDED.over_sea, expires_at = EXCLUDED.expires_at"};
constexpr PgStatement kPurgeDays{"weather_purge",
                                 "DELETE FROM weather_days WHERE expires_at <= $1"};
constexpr PgStatement kPurgeElevations{"elevation_purge",
                                       "DELETE FROM elevations WHERE expires_at <= $1"};

std::int64_t unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// Shortest text that reads back as exactly the same double.
void append_number(std::string& out, double value) {
  if (domain::is_missing(value)) {
    out += "NULL";
    return;
  }
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  out.append(text, end);
}

SqlValue nullable(double value) {
  if (domain::is_missing(value)) return nullptr;
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

double read_nullable(const PgResult& result, int row, int column) {
  return result.is_null(row, column) ? domain::kMissing : result.real(row, column);
}

}  // namespace

Expected<std::shared_ptr<PostgresWeatherCache>> PostgresWeatherCache::create(
    std::shared_ptr<PostgresDatabase> db) {
  if (auto migrated = db->migrate("weather_cache", kMigrations); !migrated) {
    return fail(migrated.error());
  }
  return std::shared_ptr<PostgresWeatherCache>(new PostgresWeatherCache(std::move(db)));
}

Expected<CacheLookup> PostgresWeatherCache::lookup(const CacheQuery& query,
                                                   std::chrono::system_clock::time_point now) {
  if (domain::days_between(query.start_date, query.end_date) < 0) {
    return lookup_from_fresh_days(query, {});
  }
  const SqlValue params[] = {std::string(domain::to_string(query.source)),
                             std::int64_t{cache_grid_index(query.latitude_deg)},
                             std::int64_t{cache_grid_index(query.longitude_deg)},
                             domain::format_iso_date(query.start_date),
                             domain::format_iso_date(query.end_date),
                             unix_seconds(now)};
  auto result = db_->execute(kLookup, params);
  if (!result) return fail(result.error());
  domain::WeatherSeries series;
  series.days.reserve(static_cast<std::size_t>(result->rows()));
  for (int row = 0; row < result->rows(); ++row) {
    domain::WeatherDay day;
    day.date = domain::parse_iso_date(result->text(row, 0)).value_or(domain::Date{});
    day.tmax_c = read_nullable(*result, row, 1);
    day.tmin_c = read_nullable(*result, row, 2);
    day.tmean_c = read_nullable(*result, row, 3);
    day.tdew_c = read_nullable(*result, row, 4);
    day.rh_max_pct = read_nullable(*result, row, 5);
    day.rh_min_pct = read_nullable(*result, row, 6);
    day.rh_mean_pct = read_nullable(*result, row, 7);
    day.wind_m_s = read_nullable(*result, row, 8);
    day.wind_height_m = result->is_null(row, 9) ? 2.0 : result->real(row, 9);
    day.rs_mj_m2 = read_nullable(*result, row, 10);
    day.precip_mm = read_nullable(*result, row, 11);
    day.upstream_eto_mm = read_nullable(*result, row, 12);
    series.elevation_m = read_nullable(*result, row, 13);
    series.utc_offset_seconds = static_cast<int>(result->int64(row, 14));
    series.days.push_back(day);
  }
  return lookup_from_fresh_days(query, std::move(series));
}

Expected<void> PostgresWeatherCache::put(const CacheQuery& query,
                                         const domain::WeatherSeries& series, domain::Date today,
                                         std::chrono::system_clock::time_point now) {
  std::unordered_map<int, const domain::WeatherDay*> by_offset;
  for (const auto& day : series.days) {
    by_offset[domain::days_between(query.start_date, day.date)] = &day;
  }
  const int count = domain::days_between(query.start_date, query.end_date) + 1;
  if (count <= 0) return {};
  const std::int64_t fetched_at = unix_seconds(now);
  // Array literals {a,b,...}: dates, each variable, expiries.
  std::string dates = "{";
  std::array<std::string, kVariables> variables;
  for (auto& text : variables) text = "{";
  std::string expiries = "{";
  for (int offset = 0; offset < count; ++offset) {
    const domain::Date date = domain::add_days(query.start_date, offset);
    domain::WeatherDay empty;
    const auto it = by_offset.find(offset);
    const domain::WeatherDay& d = it != by_offset.end() ? *it->second : empty;
    const char* separator = offset == 0 ? "" : ",";
    dates += separator + domain::format_iso_date(date);
    const double values[kVariables] = {
        d.tmax_c,      d.tmin_c,   d.tmean_c,       d.tdew_c,   d.rh_max_pct, d.rh_min_pct,
        d.rh_mean_pct, d.wind_m_s, d.wind_height_m, d.rs_mj_m2, d.precip_mm,  d.upstream_eto_mm};
    for (int v = 0; v < kVariables; ++v) {
      variables[static_cast<std::size_t>(v)] += separator;
      append_number(variables[static_cast<std::size_t>(v)], values[v]);
    }
    expiries += separator + std::to_string(fetched_at + cache_lifetime(date, today).count());
  }
  dates += "}";
  for (auto& text : variables) text += "}";
  expiries += "}";
  std::vector<SqlValue> params = {std::string(domain::to_string(query.source)),
                                  std::int64_t{cache_grid_index(query.latitude_deg)},
                                  std::int64_t{cache_grid_index(query.longitude_deg)},
                                  std::move(dates)};
  for (auto& text : variables) params.emplace_back(std::move(text));
  params.emplace_back(std::move(expiries));
  params.push_back(nullable(series.elevation_m));
  params.emplace_back(std::int64_t{series.utc_offset_seconds});
  params.emplace_back(fetched_at);
  auto result = db_->execute(kPutRows, params);
  if (!result) return fail(result.error());
  return {};
}

Expected<std::optional<CachedElevation>> PostgresWeatherCache::get_elevation(
    double latitude_deg, double longitude_deg, std::chrono::system_clock::time_point now) {
  const SqlValue params[] = {std::int64_t{cache_grid_index(latitude_deg)},
                             std::int64_t{cache_grid_index(longitude_deg)}, unix_seconds(now)};
  auto result = db_->execute(kGetElevation, params);
  if (!result) return fail(result.error());
  if (result->rows() == 0) return std::optional<CachedElevation>{};
  return std::optional<CachedElevation>(
      CachedElevation{result->real(0, 0), result->text(0, 1), result->boolean(0, 2)});
}

Expected<void> PostgresWeatherCache::put_elevation(double latitude_deg, double longitude_deg,
                                                   const CachedElevation& elevation,
                                                   std::chrono::system_clock::time_point now) {
  const SqlValue params[] = {std::int64_t{cache_grid_index(latitude_deg)},
                             std::int64_t{cache_grid_index(longitude_deg)},
                             nullable(elevation.elevation_m),
                             elevation.source,
                             std::string(elevation.over_sea ? "true" : "false"),
                             unix_seconds(now) + kElevationLifetime.count()};
  auto result = db_->execute(kPutElevation, params);
  if (!result) return fail(result.error());
  return {};
}

Expected<long long> PostgresWeatherCache::purge_expired(std::chrono::system_clock::time_point now) {
  const SqlValue params[] = {unix_seconds(now)};
  auto days = db_->execute(kPurgeDays, params);
  if (!days) return fail(days.error());
  auto elevations = db_->execute(kPurgeElevations, params);
  if (!elevations) return fail(elevations.error());
  return static_cast<long long>(days->affected() + elevations->affected());
}

}  // namespace evapo::storage
