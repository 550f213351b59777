#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include <evapo/sources/iso_time.hpp>
#include <evapo/sources/nws_client.hpp>
#include <evapo/sources/nws_observation.hpp>
#include <evapo/sources/time_zone_database.hpp>

#include "fixture_path.hpp"

namespace evapo::sources {
namespace {

using test::day;
using test::read_fixture;
using test::utc_plus;

TEST(NwsCoverage, UsaOnly) {
  EXPECT_TRUE(nws_covers({39.46, -118.77, std::nullopt}));   // Fallon NV
  EXPECT_TRUE(nws_covers({61.2, -149.9, std::nullopt}));     // Anchorage
  EXPECT_TRUE(nws_covers({21.3, -157.8, std::nullopt}));     // Honolulu
  EXPECT_FALSE(nws_covers({51.5, -0.1, std::nullopt}));      // London
  EXPECT_FALSE(nws_covers({-15.79, -47.88, std::nullopt}));  // Brasilia
}

TEST(NwsUrl, PointsFourDecimalsAndGridpoints) {
  EXPECT_EQ(nws_points_url("https://api.weather.gov", {30.0, -85.0, std::nullopt}),
            "https://api.weather.gov/points/30.0000,-85.0000");
  EXPECT_EQ(nws_gridpoints_url("http://s", {"TAE", 58, 65, ""}), "http://s/gridpoints/TAE/58,65");
}

// Recorded: pynws /points/30,-85.
TEST(NwsPoints, Fixture) {
  const auto grid = parse_nws_points(read_fixture("nws_points_example.json"));
  ASSERT_TRUE(grid) << grid.error().message;
  EXPECT_EQ(grid->grid_id, "TAE");
  EXPECT_EQ(grid->grid_x, 58);
  EXPECT_EQ(grid->grid_y, 65);
  EXPECT_EQ(grid->time_zone, "America/New_York");
}

TEST(NwsPoints, MissingGridIsAnError) {
  EXPECT_FALSE(parse_nws_points(R"({"properties":{"gridId":"TAE"}})"));
  EXPECT_FALSE(parse_nws_points("[]"));
}

// Recorded: pynws /gridpoints/TAE/58,65 (gridX/gridY as strings, PT1H..P1DT6H intervals, nulls).
// Expected values computed independently from the fixture: intervals expanded to hours, EST days.
TEST(NwsGridpoints, FixtureExpandedToLocalDays) {
  const auto series = parse_nws_gridpoints(read_fixture("nws_gridpoints_raw_example.json"),
                                           utc_plus(-5 * 3600), day(2022, 2, 1), day(2022, 2, 28));
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_NEAR(series->elevation_m, 3.9624, 1e-9);
  auto find = [&](domain::Date date) {
    const auto it = std::find_if(series->days.begin(), series->days.end(),
                                 [&](const auto& d) { return d.date == date; });
    return it == series->days.end() ? nullptr : &*it;
  };
  const auto* d4 = find(day(2022, 2, 4));
  ASSERT_NE(d4, nullptr);
  EXPECT_NEAR(d4->tmax_c, 22.2222, 1e-4);
  EXPECT_NEAR(d4->tmin_c, 9.4444, 1e-4);
  EXPECT_NEAR(d4->tmean_c, 17.5463, 1e-4);
  EXPECT_DOUBLE_EQ(d4->rh_max_pct, 100.0);
  EXPECT_DOUBLE_EQ(d4->rh_min_pct, 84.0);
  EXPECT_NEAR(d4->rh_mean_pct, 92.5, 1e-9);
  EXPECT_NEAR(d4->wind_m_s, 3.451065, 1e-6);  // km/h converted, 10 m
  EXPECT_DOUBLE_EQ(d4->wind_height_m, 10.0);
  EXPECT_NEAR(d4->precip_mm, 14.224, 1e-9);
  const auto* d5 = find(day(2022, 2, 5));
  ASSERT_NE(d5, nullptr);
  EXPECT_NEAR(d5->tmax_c, 12.7778, 1e-4);
  EXPECT_NEAR(d5->tmin_c, 3.8889, 1e-4);  // the overnight minimum window centred on 02-05
  EXPECT_NEAR(d5->precip_mm, 2.794, 1e-9);
  const auto* d8 = find(day(2022, 2, 8));
  ASSERT_NE(d8, nullptr);
  EXPECT_NEAR(d8->wind_m_s, 1.286111, 1e-6);
  EXPECT_NEAR(d8->precip_mm, 1.439333, 1e-6);
  // 02-03 starts 16:00 local: 8 hours only, so no daily row is kept.
  EXPECT_EQ(find(day(2022, 2, 3)), nullptr);
  EXPECT_TRUE(std::isnan(d4->rs_mj_m2));
}

TEST(NwsGridpoints, OlderUnitSpellingAndNullValues) {
  std::string body = R"({"properties":{"temperature":{"uom":"unit:degF","values":[)";
  for (int h = 0; h < 24; ++h) {
    char item[128];
    std::snprintf(item, sizeof item,
                  R"(%s{"validTime":"2024-01-01T%02d:00:00+00:00/PT1H","value":%s})",
                  h == 0 ? "" : ",", h, h == 5 ? "null" : "50");
    body += item;
  }
  body += "]}}}";
  const auto series = parse_nws_gridpoints(body, utc_plus(0), day(2024, 1, 1), day(2024, 1, 1));
  ASSERT_TRUE(series) << series.error().message;
  ASSERT_EQ(series->days.size(), 1U);
  EXPECT_NEAR(series->days[0].tmax_c, 10.0, 1e-12);
}

// `hours` one-hour layers from `first_utc_s`: temperature = the hour's index, 1 mm of rain each.
std::string hourly_gridpoints(std::int64_t first_utc_s, int hours) {
  std::string temperature;
  std::string rain;
  for (int h = 0; h < hours; ++h) {
    std::string valid = format_iso_utc_seconds(first_utc_s + h * 3600);
    valid.pop_back();
    valid += "+00:00/PT1H";
    const std::string comma = h == 0 ? "" : ",";
    temperature += comma + R"({"validTime":")" + valid + R"(","value":)" + std::to_string(h) + "}";
    rain += comma + R"({"validTime":")" + valid + R"(","value":1})";
  }
  return R"({"properties":{"temperature":{"uom":"wmoUnit:degC","values":[)" + temperature +
         R"(]},"quantitativePrecipitation":{"uom":"wmoUnit:mm","values":[)" + rain + "]}}}";
}

// New York in 2024: 10 March lost its 02:00 hour (23 hours), 3 November had 01:00 twice (25).
TEST(NwsGridpoints, HoursGoToTheLocalDaysAcrossUsDaylightSavingChanges) {
  const auto zone = load_time_zone("America/New_York", domain::TimeZoneSource::boundary);
  ASSERT_TRUE(zone) << zone.error().message;
  const std::int64_t mar9 = 1709960400;  // 2024-03-09T05:00Z = 00:00 EST
  const auto spring =
      parse_nws_gridpoints(hourly_gridpoints(mar9, 72), *zone, day(2024, 3, 9), day(2024, 3, 11));
  ASSERT_TRUE(spring) << spring.error().message;
  ASSERT_EQ(spring->days.size(), 3U);
  EXPECT_DOUBLE_EQ(spring->days[0].precip_mm, 24.0);
  EXPECT_DOUBLE_EQ(spring->days[1].precip_mm, 23.0);
  EXPECT_DOUBLE_EQ(spring->days[1].tmin_c, 24.0);
  EXPECT_DOUBLE_EQ(spring->days[1].tmax_c, 46.0);
  EXPECT_DOUBLE_EQ(spring->days[2].precip_mm, 24.0);
  EXPECT_DOUBLE_EQ(spring->days[2].tmin_c, 47.0);
  const std::int64_t nov2 = 1730520000;  // 2024-11-02T04:00Z = 00:00 EDT
  const auto autumn =
      parse_nws_gridpoints(hourly_gridpoints(nov2, 72), *zone, day(2024, 11, 2), day(2024, 11, 4));
  ASSERT_TRUE(autumn) << autumn.error().message;
  ASSERT_EQ(autumn->days.size(), 3U);
  EXPECT_DOUBLE_EQ(autumn->days[1].precip_mm, 25.0);
  EXPECT_DOUBLE_EQ(autumn->days[1].tmin_c, 24.0);
  EXPECT_DOUBLE_EQ(autumn->days[1].tmax_c, 48.0);
  EXPECT_DOUBLE_EQ(autumn->days[2].tmin_c, 49.0);
}

TEST(NwsError, ProblemJsonTitleAndDetail) {
  const auto error =
      nws_error(404, R"({"correlationId":"x","title":"Data Unavailable For Requested Point",
    "type":"https://api.weather.gov/problems/InvalidPoint","status":404,"detail":"Unable to provide data for requested point 51.5,-0.1"})");
  EXPECT_EQ(error.code, domain::ErrorCode::not_found);
  EXPECT_NE(error.message.find("Data Unavailable For Requested Point: Unable to provide"),
            std::string::npos);
  EXPECT_EQ(nws_error(503, "").code, domain::ErrorCode::unavailable);
}

}  // namespace
}  // namespace evapo::sources

namespace evapo::sources {
namespace {

// Recorded: pynws /stations/KFLL/observations/latest (nulls, qualityControl, wmoUnit codes).
TEST(NwsObservation, LatestFixture) {
  const auto obs = parse_nws_observation(test::read_fixture("nws_observation_latest_example.json"));
  ASSERT_TRUE(obs) << obs.error().message;
  EXPECT_EQ(obs->station, "https://api.weather.gov/stations/KFLL");
  EXPECT_EQ(obs->time_utc_s, *parse_iso_utc_seconds("2022-03-02T23:53:00Z"));
  EXPECT_DOUBLE_EQ(obs->temp_c, 22.8);
  EXPECT_DOUBLE_EQ(obs->tdew_c, 18.3);
  EXPECT_NEAR(obs->rh_pct, 75.770935807607, 1e-12);
  EXPECT_DOUBLE_EQ(obs->wind_m_s, 7.56 / 3.6);
  EXPECT_DOUBLE_EQ(obs->pressure_kpa, 101.86);
  EXPECT_DOUBLE_EQ(obs->precip_last_6h_mm, 0.0);
  EXPECT_DOUBLE_EQ(obs->elevation_m, 3.0);
}

TEST(NwsObservation, OlderSpellingNullsAndGarbage) {
  const auto obs = parse_nws_observation(R"({"properties":{"timestamp":"2019-01-01T00:00:00+00:00",
    "temperature":{"unit":"unit:degC","value":5.0,"qc":"V"},"dewpoint":{"unit":"unit:degC","value":null}}})");
  ASSERT_TRUE(obs) << obs.error().message;
  EXPECT_DOUBLE_EQ(obs->temp_c, 5.0);
  EXPECT_TRUE(std::isnan(obs->tdew_c));
  EXPECT_TRUE(std::isnan(obs->wind_m_s));
  EXPECT_FALSE(parse_nws_observation(R"({"properties":{"temperature":{}}})"));
  EXPECT_FALSE(parse_nws_observation("<html>"));
}

}  // namespace
}  // namespace evapo::sources
