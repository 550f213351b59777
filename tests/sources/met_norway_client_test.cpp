#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include <evapo/sources/iso_time.hpp>
#include <evapo/sources/met_norway_client.hpp>
#include <evapo/sources/time_zone_database.hpp>

#include "fixture_path.hpp"

namespace evapo::sources {
namespace {

using test::day;
using test::read_fixture;
using test::utc_plus;

const domain::WeatherDay* find_day(const domain::WeatherSeries& series, domain::Date date) {
  const auto it = std::find_if(series.days.begin(), series.days.end(),
                               [&](const auto& d) { return d.date == date; });
  return it == series.days.end() ? nullptr : &*it;
}

TEST(MetNorwayUrl, CompleteProductFourDecimalsAndAltitude) {
  EXPECT_EQ(met_norway_url("https://api.met.no", {59.91273, 10.74609, 23.4}),
            "https://api.met.no/weatherapi/locationforecast/2.0/"
            "complete?lat=59.9127&lon=10.7461&altitude=23");
  EXPECT_EQ(met_norway_url("http://s", {1.0, 2.0, std::nullopt}),
            "http://s/weatherapi/locationforecast/2.0/complete?lat=1.0000&lon=2.0000");
}

// Recorded: London complete, 2020-07-20T11Z + 82 steps (hourly to 07-22T18Z, then 6-hourly).
// Expected values computed independently from the fixture (instants held until the next step,
// 6-hour extremes at their middle hour, precipitation from next_1_hours / next_6_hours).
TEST(MetNorway, CompleteLondonFixtureUtcDays) {
  const auto series =
      parse_met_norway(read_fixture("met_norway_locationforecast_complete_example.json"),
                       utc_plus(0), day(2020, 7, 1), day(2020, 7, 31));
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_DOUBLE_EQ(series->elevation_m, 25.0);
  // 07-20 starts at 11Z (13 h) and 07-29 ends at 06Z: too short for daily values, dropped.
  EXPECT_EQ(series->days.front().date, day(2020, 7, 21));
  EXPECT_EQ(series->days.back().date, day(2020, 7, 28));
  EXPECT_EQ(series->days.size(), 8U);
  EXPECT_TRUE(series->warnings.empty());
  const auto* hourly = find_day(*series, day(2020, 7, 21));
  ASSERT_NE(hourly, nullptr);
  EXPECT_DOUBLE_EQ(hourly->tmax_c, 20.2);
  EXPECT_DOUBLE_EQ(hourly->tmin_c, 10.9);
  EXPECT_NEAR(hourly->tmean_c, 16.0208, 1e-4);
  EXPECT_DOUBLE_EQ(hourly->rh_max_pct, 85.0);
  EXPECT_DOUBLE_EQ(hourly->rh_min_pct, 41.8);
  EXPECT_NEAR(hourly->rh_mean_pct, 61.0625, 1e-4);
  EXPECT_NEAR(hourly->wind_m_s, 2.270833, 1e-6);
  EXPECT_DOUBLE_EQ(hourly->wind_height_m, 10.0);
  EXPECT_DOUBLE_EQ(hourly->precip_mm, 0.0);
  EXPECT_TRUE(std::isnan(hourly->rs_mj_m2));
  const auto* six_hourly = find_day(*series, day(2020, 7, 28));
  ASSERT_NE(six_hourly, nullptr);
  EXPECT_DOUBLE_EQ(six_hourly->tmax_c, 23.0);
  EXPECT_DOUBLE_EQ(six_hourly->tmin_c, 15.1);
  EXPECT_NEAR(six_hourly->rh_mean_pct, 66.425, 1e-4);
  EXPECT_NEAR(six_hourly->precip_mm, 0.3, 1e-9);
}

TEST(MetNorway, LocalOffsetShiftsTheDays) {
  const auto series =
      parse_met_norway(read_fixture("met_norway_locationforecast_complete_example.json"),
                       utc_plus(7200), day(2020, 7, 21), day(2020, 7, 28));
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(series->utc_offset_seconds, 7200);
  const auto* d = find_day(*series, day(2020, 7, 28));
  ASSERT_NE(d, nullptr);
  EXPECT_NEAR(d->rh_min_pct, 43.6, 1e-9);
  EXPECT_NEAR(d->precip_mm, 0.233333, 1e-6);
  EXPECT_EQ(series->days.front().date, day(2020, 7, 21));
  EXPECT_EQ(series->days.back().date, day(2020, 7, 28));
}

// Recorded: New York compact (no dew point, no 6-hour extremes).
TEST(MetNorway, CompactNewYorkFixture) {
  const auto series =
      parse_met_norway(read_fixture("met_norway_locationforecast_compact_example.json"),
                       utc_plus(-4 * 3600), day(2020, 7, 21), day(2020, 7, 28));
  ASSERT_TRUE(series) << series.error().message;
  const auto* d = find_day(*series, day(2020, 7, 24));
  ASSERT_NE(d, nullptr);
  EXPECT_DOUBLE_EQ(d->tmax_c, 28.4);
  EXPECT_DOUBLE_EQ(d->tmin_c, 24.1);
  EXPECT_NEAR(d->rh_mean_pct, 83.3333, 1e-4);
  EXPECT_NEAR(d->wind_m_s, 3.183333, 1e-6);
  EXPECT_NEAR(d->precip_mm, 3.6, 1e-9);
  EXPECT_TRUE(std::isnan(d->tdew_c));
}

TEST(MetNorway, RejectsBodiesWithoutTimeseries) {
  EXPECT_FALSE(parse_met_norway(R"({"type":"Feature","properties":{}})", utc_plus(0),
                                day(2020, 1, 1), day(2020, 1, 2)));
  EXPECT_FALSE(parse_met_norway("not json", utc_plus(0), day(2020, 1, 1), day(2020, 1, 2)));
  EXPECT_FALSE(parse_met_norway(R"({"properties":{"timeseries":[{"time":"yesterday","data":{}}]}})",
                                utc_plus(0), day(2020, 1, 1), day(2020, 1, 2)));
}

TEST(MetNorway, AbsentKeysAreMissingNotZero) {
  // 24 hourly steps with wind only: temperature and humidity keys absent.
  std::string body = R"({"properties":{"meta":{"units":{"wind_speed":"m/s"}},"timeseries":[)";
  for (int h = 0; h < 24; ++h) {
    char step[160];
    std::snprintf(
        step, sizeof step,
        R"(%s{"time":"2024-03-01T%02d:00:00Z","data":{"instant":{"details":{"wind_speed":4.0}}}})",
        h == 0 ? "" : ",", h);
    body += step;
  }
  body += "]}}";
  const auto series = parse_met_norway(body, utc_plus(0), day(2024, 3, 1), day(2024, 3, 1));
  ASSERT_TRUE(series) << series.error().message;
  ASSERT_EQ(series->days.size(), 1U);
  EXPECT_DOUBLE_EQ(series->days[0].wind_m_s, 4.0);
  EXPECT_TRUE(std::isnan(series->days[0].tmax_c));
  EXPECT_TRUE(std::isnan(series->days[0].rh_mean_pct));
}

// `hours` hourly steps from `first_utc_s`: temperature = the step's index, 1 mm of rain each.
std::string hourly_body(std::int64_t first_utc_s, int hours) {
  std::string body = R"({"properties":{"timeseries":[)";
  for (int h = 0; h < hours; ++h) {
    body += (h == 0 ? "" : ",") + std::string(R"({"time":")") +
            format_iso_utc_seconds(first_utc_s + h * 3600) +
            R"(","data":{"instant":{"details":{"air_temperature":)" + std::to_string(h) +
            R"(}},"next_1_hours":{"details":{"precipitation_amount":1.0}}}})";
  }
  return body + "]}}";
}

// Brazil's last daylight-saving summer: on 4 Nov 2018 clocks went from 00:00 to 01:00 (a day of
// 23 hours), on 17 Feb 2019 from 00:00 back to 23:00 of the 16th (25 hours). Each hour goes to
// the local day of its own offset; the rain sum is complete with 23 or 25 hours.
TEST(MetNorway, HoursGoToTheLocalDaysAcrossBrazilsLastDaylightSavingChanges) {
  const auto zone = load_time_zone("America/Sao_Paulo", domain::TimeZoneSource::boundary);
  ASSERT_TRUE(zone) << zone.error().message;
  const std::int64_t nov3 = 1541214000;  // 2018-11-03T03:00Z = 00:00 -03
  const auto spring =
      parse_met_norway(hourly_body(nov3, 72), *zone, day(2018, 11, 3), day(2018, 11, 5));
  ASSERT_TRUE(spring) << spring.error().message;
  ASSERT_EQ(spring->days.size(), 3U);
  EXPECT_EQ(spring->utc_offset_seconds, -10800);
  const double spring_hours[] = {24, 23, 24};
  const double spring_first[] = {0, 24, 47};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(spring->days[i].precip_mm, spring_hours[i]) << i;
    EXPECT_DOUBLE_EQ(spring->days[i].tmin_c, spring_first[i]) << i;
    EXPECT_DOUBLE_EQ(spring->days[i].tmax_c, spring_first[i] + spring_hours[i] - 1) << i;
  }
  // One fixed offset (standard time, as the longitude estimate was) gives the 4th 24 hours.
  const auto fixed =
      parse_met_norway(hourly_body(nov3, 72), utc_plus(-10800), day(2018, 11, 3), day(2018, 11, 5));
  ASSERT_TRUE(fixed);
  EXPECT_DOUBLE_EQ(fixed->days[1].precip_mm, 24.0);
  EXPECT_DOUBLE_EQ(fixed->days[1].tmax_c, 47.0);
  const std::int64_t feb16 = 1550282400;  // 2019-02-16T02:00Z = 00:00 -02
  const auto autumn =
      parse_met_norway(hourly_body(feb16, 72), *zone, day(2019, 2, 16), day(2019, 2, 17));
  ASSERT_TRUE(autumn) << autumn.error().message;
  ASSERT_EQ(autumn->days.size(), 2U);
  EXPECT_DOUBLE_EQ(autumn->days[0].precip_mm, 25.0);
  EXPECT_DOUBLE_EQ(autumn->days[0].tmax_c, 24.0);
  EXPECT_DOUBLE_EQ(autumn->days[1].tmin_c, 25.0);
  EXPECT_DOUBLE_EQ(autumn->days[1].precip_mm, 24.0);
}

}  // namespace
}  // namespace evapo::sources
