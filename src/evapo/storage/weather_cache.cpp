#include <cmath>
#include <string>

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

domain::Expected<std::shared_ptr<WeatherCache>> open_weather_cache(std::string_view url) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (!url.starts_with(kSqlite)) {
    return domain::fail(domain::Error::invalid_argument(
        "unknown cache URL \"" + std::string(url) + "\" (expected sqlite:///path/to/cache.db)"));
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
