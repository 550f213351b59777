#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <evapo/storage/postgres_weather_cache.hpp>
#include <evapo/storage/sqlite_weather_cache.hpp>
#include <evapo/storage/weather_cache.hpp>

namespace evapo::storage {

long long cache_grid_index(double deg) {
  return std::llround(deg / kCacheGridDeg);
}

std::chrono::seconds cache_lifetime(domain::Date day, domain::Date today) {
  using namespace std::chrono_literals;
  const int age_days = domain::days_between(day, today);
  if (age_days < 0) return 1h;
  if (age_days < 7) return 12h;
  if (age_days <= 30) return 24h;
  return std::chrono::seconds{30 * 24h};
}

namespace {

// A day the source delivered nothing for, stored so that it is not downloaded again.
bool is_placeholder(const domain::WeatherDay& d) {
  return domain::is_missing(d.tmax_c) && domain::is_missing(d.tmin_c) &&
         domain::is_missing(d.tmean_c) && domain::is_missing(d.rh_mean_pct) &&
         domain::is_missing(d.rh_max_pct) && domain::is_missing(d.rh_min_pct) &&
         domain::is_missing(d.tdew_c) && domain::is_missing(d.wind_m_s) &&
         domain::is_missing(d.rs_mj_m2) && domain::is_missing(d.precip_mm) &&
         domain::is_missing(d.upstream_eto_mm);
}

}  // namespace

CacheLookup lookup_from_fresh_days(const CacheQuery& query, domain::WeatherSeries series) {
  CacheLookup found;
  found.series.source = query.source;
  const int expected_days = domain::days_between(query.start_date, query.end_date) + 1;
  if (expected_days <= 0) return found;
  series.source = query.source;
  std::sort(series.days.begin(), series.days.end(),
            [](const auto& a, const auto& b) { return a.date < b.date; });
  // The first and last days of the range not found fresh; every day between them is downloaded.
  std::vector<bool> fresh(static_cast<std::size_t>(expected_days), false);
  for (const auto& day : series.days) {
    const int offset = domain::days_between(query.start_date, day.date);
    if (offset >= 0 && offset < expected_days) fresh[static_cast<std::size_t>(offset)] = true;
  }
  const auto first_stale = std::find(fresh.begin(), fresh.end(), false);
  if (first_stale != fresh.end()) {
    const auto last_stale = std::find(fresh.rbegin(), fresh.rend(), false);
    const domain::Date from =
        domain::add_days(query.start_date, static_cast<int>(first_stale - fresh.begin()));
    const domain::Date to =
        domain::add_days(query.end_date, -static_cast<int>(last_stale - fresh.rbegin()));
    found.to_download = std::pair{from, to};
    std::erase_if(series.days,
                  [&](const domain::WeatherDay& d) { return d.date >= from && d.date <= to; });
  }
  std::erase_if(series.days, is_placeholder);
  found.series = std::move(series);
  return found;
}

domain::Expected<std::shared_ptr<WeatherCache>> open_weather_cache(std::string_view url) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    auto db = PostgresDatabase::open(std::string(url));
    if (!db) return domain::fail(db.error());
    auto cache = PostgresWeatherCache::create(std::move(*db));
    if (!cache) return domain::fail(cache.error());
    return std::shared_ptr<WeatherCache>(std::move(*cache));
  }
  if (!url.starts_with(kSqlite)) {
    return domain::fail(domain::Error::invalid_argument(
        "unknown cache URL \"" + std::string(url) +
        "\" (expected sqlite:///path/to/cache.db or postgresql://...)"));
  }
  const std::string path(url.substr(kSqlite.size()));
  if (path.empty()) return domain::fail(domain::Error::invalid_argument("cache URL has no path"));
  auto db = SqliteDatabase::open(path);
  if (!db) return domain::fail(db.error());
  auto cache = SqliteWeatherCache::create(std::move(*db));
  if (!cache) return domain::fail(cache.error());
  return std::shared_ptr<WeatherCache>(std::move(*cache));
}

}  // namespace evapo::storage
