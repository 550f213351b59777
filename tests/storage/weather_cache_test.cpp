#include <chrono>
#include <filesystem>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include <evapo/storage/sqlite_database.hpp>
#include <evapo/storage/sqlite_weather_cache.hpp>
#include <evapo/storage/weather_cache.hpp>

namespace evapo::storage {
namespace {

using namespace std::chrono_literals;
using domain::Date;
using domain::SourceId;

Date d(const char* iso) {
  return *domain::parse_iso_date(iso);
}

TEST(CacheLifetime, FollowsAgeOfTheDay) {
  const Date today = d("2026-11-26");
  struct Case {
    const char* day;
    std::chrono::seconds lifetime;
  };
  const Case cases[] = {
      {"2026-12-01", 1h},  {"2026-11-27", 1h},  {"2026-11-26", 12h},  {"2026-11-20", 12h},
      {"2026-11-19", 24h}, {"2026-10-27", 24h}, {"2026-10-26", 720h}, {"1990-01-01", 720h},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(cache_lifetime(d(c.day), today), c.lifetime) << c.day;
  }
}

TEST(CacheGrid, RoundsToHundredthsOfADegree) {
  EXPECT_EQ(cache_grid_index(-22.7123), -2271);
  EXPECT_EQ(cache_grid_index(-22.7151), -2272);
  EXPECT_EQ(cache_grid_index(0.004), 0);
  EXPECT_EQ(cache_grid_index(179.999), 18000);
}

TEST(OpenWeatherCache, RejectsUnknownScheme) {
  auto cache = open_weather_cache("redis://localhost");
  ASSERT_FALSE(cache);
  EXPECT_EQ(cache.error().code, domain::ErrorCode::invalid_argument);
}

domain::WeatherSeries three_days(SourceId source) {
  domain::WeatherSeries series;
  series.source = source;
  series.elevation_m = 546.0;
  series.utc_offset_seconds = -10800;
  for (int i = 0; i < 3; ++i) {
    domain::WeatherDay day;
    day.date = domain::add_days(d("2026-01-10"), i);
    day.tmax_c = 30.0 + i;
    day.tmin_c = 18.0;
    day.wind_m_s = 3.0;
    day.wind_height_m = 10.0;
    day.rs_mj_m2 = 20.0 + i;
    series.days.push_back(day);
  }
  series.days.erase(series.days.begin() + 1);  // the source had nothing on the 11th
  return series;
}

TEST(SqliteWeatherCache, LookupNamesTheSmallestRangeStillToDownload) {
  auto cache = open_weather_cache("sqlite://:memory:");
  ASSERT_TRUE(cache);
  const auto now = std::chrono::system_clock::now();
  const Date today = d("2026-11-26");
  const CacheQuery stored{SourceId::nasa_power, -22.7123, -47.6301, d("2026-01-10"),
                          d("2026-01-12")};
  ASSERT_TRUE((*cache)->put(stored, three_days(SourceId::nasa_power), today, now));

  CacheQuery longer = stored;  // two days before, three after
  longer.start_date = d("2026-01-08");
  longer.end_date = d("2026-01-15");
  auto around = (*cache)->lookup(longer, now);
  ASSERT_TRUE(around);
  ASSERT_TRUE(around->to_download);
  EXPECT_EQ(around->to_download->first, d("2026-01-08"));  // one range covering both ends
  EXPECT_EQ(around->to_download->second, d("2026-01-15"));
  EXPECT_TRUE(around->series.days.empty());

  CacheQuery later = stored;  // the stored days, then three more
  later.end_date = d("2026-01-15");
  auto after = (*cache)->lookup(later, now);
  ASSERT_TRUE(after);
  ASSERT_TRUE(after->to_download);
  EXPECT_EQ(after->to_download->first, d("2026-01-13"));
  EXPECT_EQ(after->to_download->second, d("2026-01-15"));
  ASSERT_EQ(after->series.days.size(), 2U) << "the 11th was stored as missing and stays out";
  EXPECT_EQ(after->series.days[0].date, d("2026-01-10"));

  auto full = (*cache)->lookup(stored, now);
  ASSERT_TRUE(full);
  EXPECT_FALSE(full->to_download);
  EXPECT_EQ(full->series.days.size(), 2U);
}

TEST(SqliteWeatherCache, RoundTripsAndExpires) {
  auto cache = open_weather_cache("sqlite://:memory:");
  ASSERT_TRUE(cache) << cache.error().message;
  const CacheQuery query{SourceId::nasa_power, -22.7123, -47.6301, d("2026-01-10"),
                         d("2026-01-12")};
  const auto now = std::chrono::system_clock::now();
  const Date today = d("2026-11-26");  // all three days are older than 30 days: 30 days lifetime

  auto miss = (*cache)->get(query, now);
  ASSERT_TRUE(miss);
  EXPECT_FALSE(miss->has_value());

  ASSERT_TRUE((*cache)->put(query, three_days(SourceId::nasa_power), today, now));
  // A nearby point in the same 0.01° cell hits; another source or another cell misses.
  CacheQuery nearby = query;
  nearby.latitude_deg = -22.7149;
  auto hit = (*cache)->get(nearby, now + 29 * 24h);
  ASSERT_TRUE(hit);
  ASSERT_TRUE(hit->has_value());
  const auto& series = **hit;
  ASSERT_EQ(series.days.size(), 2U);
  EXPECT_EQ(series.days[0].date, d("2026-01-10"));
  EXPECT_EQ(series.days[1].date, d("2026-01-12"));
  EXPECT_DOUBLE_EQ(series.days[1].tmax_c, 32.0);
  EXPECT_DOUBLE_EQ(series.days[1].wind_height_m, 10.0);
  EXPECT_TRUE(domain::is_missing(series.days[1].rh_mean_pct));
  EXPECT_DOUBLE_EQ(series.elevation_m, 546.0);
  EXPECT_EQ(series.utc_offset_seconds, -10800);

  CacheQuery other_source = query;
  other_source.source = SourceId::open_meteo_archive;
  EXPECT_FALSE((*cache)->get(other_source, now)->has_value());
  CacheQuery other_cell = query;
  other_cell.longitude_deg = -47.70;
  EXPECT_FALSE((*cache)->get(other_cell, now)->has_value());
  // A wider range than stored misses.
  CacheQuery wider = query;
  wider.end_date = d("2026-01-13");
  EXPECT_FALSE((*cache)->get(wider, now)->has_value());

  // Past the lifetime: a miss, and purge removes all three rows.
  EXPECT_FALSE((*cache)->get(query, now + 31 * 24h)->has_value());
  auto purged = (*cache)->purge_expired(now + 31 * 24h);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 3);
}

TEST(SqliteWeatherCache, ALaterDownloadReplacesTheDaysItCovers) {
  auto cache = open_weather_cache("sqlite://:memory:");
  ASSERT_TRUE(cache);
  const auto now = std::chrono::system_clock::now();
  const Date today = d("2026-11-26");
  const CacheQuery first{SourceId::nasa_power, 1.0, 2.0, d("2026-01-10"), d("2026-01-12")};
  ASSERT_TRUE((*cache)->put(first, three_days(SourceId::nasa_power), today, now));
  // Two days later, shifted by one day: the 11th (missing before) and the 12th change.
  CacheQuery second = first;
  second.start_date = d("2026-01-11");
  second.end_date = d("2026-01-13");
  auto shifted = three_days(SourceId::nasa_power);
  for (auto& day : shifted.days) {
    day.date = domain::add_days(day.date, 1);
    day.tmax_c += 10.0;
  }
  shifted.elevation_m = 600.0;
  ASSERT_TRUE((*cache)->put(second, shifted, today, now + 48h));

  CacheQuery both = first;
  both.end_date = d("2026-01-13");
  auto found = (*cache)->get(both, now + 48h);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  const auto& days = (**found).days;
  ASSERT_EQ(days.size(), 3U) << "the 12th is now missing";
  EXPECT_EQ(days[0].date, d("2026-01-10"));
  EXPECT_DOUBLE_EQ(days[0].tmax_c, 30.0);
  EXPECT_EQ(days[1].date, d("2026-01-11"));
  EXPECT_DOUBLE_EQ(days[1].tmax_c, 40.0);
  EXPECT_EQ(days[2].date, d("2026-01-13"));
  EXPECT_DOUBLE_EQ(days[2].tmax_c, 42.0);
  EXPECT_DOUBLE_EQ((**found).elevation_m, 600.0);

  // A download covering both replaces them: purge then counts its days only.
  ASSERT_TRUE((*cache)->put(both, {}, today, now + 72h));
  auto cleared = (*cache)->get(first, now + 72h);
  ASSERT_TRUE(cleared && cleared->has_value());
  EXPECT_TRUE((**cleared).days.empty()) << "stored as missing";
  auto purged = (*cache)->purge_expired(now + 72h + 31 * 24h);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 4);
}

// A day of a cache as versions 1 and 2 wrote it (one row per day), and an elevation.
constexpr const char* kVersion2Rows =
    "INSERT INTO weather_days VALUES ('nasa_power', 100, 200, '2026-01-10', 30, 18, NULL, NULL,"
    " NULL, NULL, NULL, 3, 10, 20, NULL, NULL, 546, -10800, 0, 9999999999);"
    "INSERT INTO elevations VALUES (100, 200, 546, 'open_meteo', 0, 9999999999);";

TEST(SqliteWeatherCache, UpgradesAVersionTwoCacheDroppingItsDays) {
  auto db = SqliteDatabase::open(":memory:");
  ASSERT_TRUE(db);
  const auto version2 = (*db)->migrate("weather_cache", SqliteWeatherCache::migrations().first(2));
  ASSERT_TRUE(version2 && *version2 == 2);
  ASSERT_TRUE((*db)->execute_script(kVersion2Rows));
  auto cache = SqliteWeatherCache::create(*db);
  ASSERT_TRUE(cache) << cache.error().message;
  EXPECT_EQ((*db)->schema_version("weather_cache").value_or(0), 3);
  const auto now = std::chrono::system_clock::now();
  const CacheQuery query{SourceId::nasa_power, 1.0, 2.0, d("2026-01-10"), d("2026-01-12")};
  auto miss = (*cache)->get(query, now);
  ASSERT_TRUE(miss);
  EXPECT_FALSE(miss->has_value()) << "the per-day rows are gone: downloaded again";
  auto elevation = (*cache)->get_elevation(1.0, 2.0, now);
  ASSERT_TRUE(elevation);
  EXPECT_TRUE(elevation->has_value()) << "elevations are kept";
  ASSERT_TRUE((*cache)->put(query, three_days(SourceId::nasa_power), d("2026-11-26"), now));
  auto hit = (*cache)->get(query, now);
  ASSERT_TRUE(hit);
  EXPECT_TRUE(hit->has_value());
}

TEST(SqliteWeatherCache, RecentDaysExpireSooner) {
  auto cache = open_weather_cache("sqlite://:memory:");
  ASSERT_TRUE(cache);
  const CacheQuery query{SourceId::open_meteo_forecast, 10.0, 10.0, d("2026-01-10"),
                         d("2026-01-12")};
  const auto now = std::chrono::system_clock::now();
  // Seen from "today" = 2026-01-11, the 12th is in the future: the range lives 1 h.
  ASSERT_TRUE(
      (*cache)->put(query, three_days(SourceId::open_meteo_forecast), d("2026-01-11"), now));
  EXPECT_TRUE((*cache)->get(query, now + 59min)->has_value());
  EXPECT_FALSE((*cache)->get(query, now + 61min)->has_value());
}

TEST(SqliteWeatherCache, PersistsInAFile) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("evapo_cache_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string url = "sqlite://" + (dir / "sub" / "cache.db").string();
  const CacheQuery query{SourceId::nasa_power, 1.0, 2.0, d("2026-01-10"), d("2026-01-12")};
  const auto now = std::chrono::system_clock::now();
  {
    auto cache = open_weather_cache(url);
    ASSERT_TRUE(cache) << cache.error().message;
    ASSERT_TRUE((*cache)->put(query, three_days(SourceId::nasa_power), d("2026-11-26"), now));
  }
  auto reopened = open_weather_cache(url);
  ASSERT_TRUE(reopened);
  auto hit = (*reopened)->get(query, now);
  ASSERT_TRUE(hit);
  EXPECT_TRUE(hit->has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace evapo::storage

namespace evapo::storage {
namespace {

TEST(SqliteWeatherCache, StoresElevationPerCell) {
  auto cache = open_weather_cache("sqlite://:memory:");
  ASSERT_TRUE(cache);
  const auto now = std::chrono::system_clock::now();
  EXPECT_FALSE((*cache)->get_elevation(59.91, 10.75, now)->has_value());
  ASSERT_TRUE((*cache)->put_elevation(59.91, 10.75, {23.0, "open_meteo", false}, now));
  auto hit = (*cache)->get_elevation(59.9101, 10.7499, now + std::chrono::hours(24));
  ASSERT_TRUE(hit);
  ASSERT_TRUE(hit->has_value());
  EXPECT_DOUBLE_EQ((*hit)->elevation_m, 23.0);
  EXPECT_EQ((*hit)->source, "open_meteo");
  EXPECT_FALSE((*hit)->over_sea);
  EXPECT_FALSE((*cache)->get_elevation(59.91, 10.75, now + kElevationLifetime)->has_value());
}

}  // namespace
}  // namespace evapo::storage
