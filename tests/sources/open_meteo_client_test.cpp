#include <cmath>

#include <gtest/gtest.h>

#include <evapo/sources/open_meteo_client.hpp>

#include "fixture_path.hpp"

namespace evapo::sources {
namespace {

using domain::SourceId;
using test::day;
using test::read_fixture;

TEST(OpenMeteoUrl, ArchiveAndForecastUseDatesNotForecastDays) {
  const domain::Location brasilia{-15.7939, -47.8828, std::nullopt};
  const auto sao_paulo =
      domain::TimeZone::fixed("America/Sao_Paulo", domain::TimeZoneSource::boundary, -10800);
  const auto archive = open_meteo_url(SourceId::open_meteo_archive, "http://a", brasilia,
                                      day(2022, 12, 29), day(2023, 1, 8), sao_paulo);
  EXPECT_EQ(archive.rfind("http://a/v1/"
                          "archive?latitude=-15.7939&longitude=-47.8828&start_date=2022-12-29&end_"
                          "date=2023-01-08&daily=",
                          0),
            0U);
  EXPECT_NE(archive.find("relative_humidity_2m_max"), std::string::npos);
  EXPECT_NE(archive.find("et0_fao_evapotranspiration"), std::string::npos);
  EXPECT_NE(archive.find("&timezone=America/Sao_Paulo&wind_speed_unit=ms"), std::string::npos);
  const auto forecast = open_meteo_url(SourceId::open_meteo_forecast, "http://f", brasilia,
                                       day(2026, 1, 1), day(2026, 1, 6), sao_paulo);
  EXPECT_EQ(forecast.rfind("http://f/v1/forecast?", 0), 0U);
  EXPECT_EQ(forecast.find("forecast_days"), std::string::npos);
}

// The zone is sent by name ('+' escaped, it would read as a space); an estimate is left to
// Open-Meteo ("auto").
TEST(OpenMeteoUrl, TimeZoneByNameOrAuto) {
  const domain::Location sea{-20.0, -40.0, std::nullopt};
  const auto nautical = domain::TimeZone::fixed("Etc/GMT+3", domain::TimeZoneSource::nautical, 0);
  EXPECT_NE(open_meteo_url(SourceId::open_meteo_archive, "http://a", sea, day(2024, 1, 1),
                           day(2024, 1, 2), nautical)
                .find("&timezone=Etc/GMT%2B3&"),
            std::string::npos);
  EXPECT_NE(open_meteo_url(SourceId::open_meteo_archive, "http://a", sea, day(2024, 1, 1),
                           day(2024, 1, 2), domain::TimeZone::from_longitude(-40.0))
                .find("&timezone=auto&"),
            std::string::npos);
}

// Recorded: tpisel/openmeteo Brasilia archive, daily temperature_2m_max, timezone=auto.
TEST(OpenMeteoDaily, ArchiveBrasiliaFixture) {
  const auto series = parse_open_meteo_daily(SourceId::open_meteo_archive,
                                             read_fixture("open_meteo_archive_daily_example.json"));
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(series->utc_offset_seconds, -10800);
  EXPECT_DOUBLE_EQ(series->elevation_m, 1134.0);
  ASSERT_EQ(series->days.size(), 11U);
  EXPECT_EQ(series->days.front().date, day(2022, 12, 29));
  EXPECT_EQ(series->days.back().date, day(2023, 1, 8));
  EXPECT_DOUBLE_EQ(series->days.front().tmax_c, 26.4);
  EXPECT_DOUBLE_EQ(series->days[8].tmax_c, 22.8);
  EXPECT_TRUE(std::isnan(series->days.front().tmin_c));  // not asked for
  EXPECT_DOUBLE_EQ(series->days.front().wind_height_m, 10.0);
}

TEST(OpenMeteoDaily, HourlyAndDailyFixtureReadsTheDailyPart) {
  const auto series =
      parse_open_meteo_daily(SourceId::open_meteo_archive,
                             read_fixture("open_meteo_archive_hourly_and_daily_example.json"));
  ASSERT_TRUE(series) << series.error().message;
  ASSERT_EQ(series->days.size(), 1U);
  EXPECT_EQ(series->days[0].date, day(2022, 12, 29));
  EXPECT_FALSE(std::isnan(series->days[0].tmax_c));
}

TEST(OpenMeteoDaily, OceanPointHourlyOnlyHasNoDailyBlock) {
  const auto series =
      parse_open_meteo_daily(SourceId::open_meteo_archive,
                             read_fixture("open_meteo_archive_hourly_ocean_point_example.json"));
  ASSERT_FALSE(series);
  EXPECT_EQ(series.error().code, domain::ErrorCode::upstream);
  EXPECT_NE(series.error().message.find("daily.time"), std::string::npos);
}

// Recorded: the forecast API asked for past dates at the ocean point: every value null.
TEST(OpenMeteoDaily, AllNullDaysAreDropped) {
  const auto series = parse_open_meteo_daily(
      SourceId::open_meteo_forecast, read_fixture("open_meteo_forecast_daily_nulls_example.json"));
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_TRUE(series->days.empty());
  EXPECT_EQ(series->utc_offset_seconds, -32400);
  // The days a source lacks are told by the pipeline (coverage_warnings), cached or fresh.
  EXPECT_TRUE(series->warnings.empty());
}

TEST(OpenMeteoDaily, RecordedErrorBodiesGiveTheReason) {
  for (const char* name :
       {"open_meteo_error_400_bad_unit_body.json", "open_meteo_error_400_bad_variable_body.json"}) {
    const std::string body = read_fixture(name);
    const auto series = parse_open_meteo_daily(SourceId::open_meteo_forecast, body);
    ASSERT_FALSE(series) << name;
    EXPECT_NE(series.error().message.find("Cannot initialize"), std::string::npos) << name;
    const auto error = open_meteo_error(400, body);
    EXPECT_EQ(error.code, domain::ErrorCode::upstream);
    EXPECT_NE(error.message.find("HTTP 400: Cannot initialize"), std::string::npos)
        << error.message;
  }
}

// The two recorded R httr responses: status 400, and their content is the extracted body.
TEST(OpenMeteoDaily, RecordedHttrResponsesMatchTheirBodies) {
  for (const auto& [recorded, body] : {std::pair{"open_meteo_error_400_bad_unit_recorded.R",
                                                 "open_meteo_error_400_bad_unit_body.json"},
                                       std::pair{"open_meteo_error_400_bad_variable_recorded.R",
                                                 "open_meteo_error_400_bad_variable_body.json"}}) {
    const std::string r = read_fixture(recorded);
    EXPECT_NE(r.find("status_code = 400L"), std::string::npos) << recorded;
    const std::string marker = "content = charToRaw(\"";
    const auto start = r.find(marker);
    ASSERT_NE(start, std::string::npos) << recorded;
    std::string content;
    for (std::size_t i = start + marker.size(); i < r.size() && r[i] != '"'; ++i) {
      if (r[i] == '\\') ++i;  // R escapes quotes as \"
      content += r[i];
    }
    EXPECT_EQ(content, read_fixture(body)) << recorded;
    EXPECT_EQ(open_meteo_error(400, content).code, domain::ErrorCode::upstream);
  }
}

TEST(OpenMeteoDaily, AllVariablesUnitsAndPartialNulls) {
  const auto series = parse_open_meteo_daily(SourceId::open_meteo_archive, R"({
    "latitude":40.0,"longitude":-105.0,"utc_offset_seconds":-25200,"elevation":1600.0,
    "daily_units":{"time":"iso8601","temperature_2m_max":"°F","temperature_2m_min":"°C",
      "relative_humidity_2m_max":"%","relative_humidity_2m_min":"%","relative_humidity_2m_mean":"%",
      "dew_point_2m_mean":"°C","wind_speed_10m_mean":"km/h","shortwave_radiation_sum":"MJ/m²",
      "precipitation_sum":"mm","et0_fao_evapotranspiration":"mm"},
    "daily":{"time":["2024-07-01","2024-07-02"],"temperature_2m_max":[86.0,null],
      "temperature_2m_min":[15.0,16.0],"relative_humidity_2m_max":[80,81],"relative_humidity_2m_min":[20,21],
      "relative_humidity_2m_mean":[45,46],"dew_point_2m_mean":[5.0,6.0],"wind_speed_10m_mean":[18.0,9.0],
      "shortwave_radiation_sum":[28.5,27.0],"precipitation_sum":[0.0,1.2],"et0_fao_evapotranspiration":[6.1,5.2]}})");
  ASSERT_TRUE(series) << series.error().message;
  ASSERT_EQ(series->days.size(), 2U);
  const auto& d = series->days[0];
  EXPECT_DOUBLE_EQ(d.tmax_c, 30.0);
  EXPECT_DOUBLE_EQ(d.tmin_c, 15.0);
  EXPECT_DOUBLE_EQ(d.rh_max_pct, 80.0);
  EXPECT_DOUBLE_EQ(d.rh_min_pct, 20.0);
  EXPECT_DOUBLE_EQ(d.rh_mean_pct, 45.0);
  EXPECT_DOUBLE_EQ(d.tdew_c, 5.0);
  EXPECT_DOUBLE_EQ(d.wind_m_s, 5.0);
  EXPECT_DOUBLE_EQ(d.rs_mj_m2, 28.5);
  EXPECT_DOUBLE_EQ(d.upstream_eto_mm, 6.1);
  EXPECT_TRUE(std::isnan(series->days[1].tmax_c));
  EXPECT_DOUBLE_EQ(series->days[1].precip_mm, 1.2);
  EXPECT_TRUE(series->warnings.empty());
}

TEST(OpenMeteoDaily, DaysTheArchiveHasNotPublishedAreLeftOut) {
  const auto series = parse_open_meteo_daily(SourceId::open_meteo_archive, R"({
    "daily":{"time":["2026-11-20","2026-11-21","2026-11-22"],
      "temperature_2m_max":[20.0,null,null],"temperature_2m_min":[5.0,6.0,null],
      "wind_speed_10m_mean":[10.0,null,null],"shortwave_radiation_sum":[12.0,11.0,null]}})");
  ASSERT_TRUE(series) << series.error().message;
  ASSERT_EQ(series->days.size(), 2U);
  EXPECT_TRUE(std::isnan(series->days[1].tmax_c));
  EXPECT_TRUE(std::isnan(series->days[1].wind_m_s));
  EXPECT_DOUBLE_EQ(series->days[1].tmin_c, 6.0);
  EXPECT_TRUE(series->warnings.empty());
}

// Found by fuzz_open_meteo (fuzz/corpus/open_meteo/crash-days-out-of-order.json): a repeated or
// earlier day was accepted, breaking the one-day-each, ascending contract of a series; an
// offset or elevation no place has was taken as given.
TEST(OpenMeteoDaily, DaysOutOfOrderAndImpossibleOffsetsAreRefused) {
  const auto body = [](const std::string& times, const std::string& extra) {
    return R"({"utc_offset_seconds":0,)" + extra +
           R"("daily_units":{"temperature_2m_max":"°C"},"daily":{"time":)" + times +
           R"(,"temperature_2m_max":[5.1,6.2]}})";
  };
  const auto source = domain::SourceId::open_meteo_archive;
  for (const char* times : {R"(["2015-01-02","2015-01-01"])", R"(["2015-01-01","2015-01-01"])",
                            R"(["2015-01-01","1007-01-02"])"}) {
    const auto series = parse_open_meteo_daily(source, body(times, ""));
    ASSERT_FALSE(series) << times;
    EXPECT_NE(series.error().message.find("does not follow"), std::string::npos);
  }
  EXPECT_FALSE(parse_open_meteo_daily(
      source, body(R"(["2015-01-01","2015-01-02"])", R"("utc_offset_seconds":99999999999,)")));
  const auto far = parse_open_meteo_daily(
      source, body(R"(["2015-01-01","2015-01-02"])", R"("elevation":50000,)"));
  ASSERT_TRUE(far) << far.error().message;
  EXPECT_TRUE(std::isnan(far->elevation_m));
  const auto good = parse_open_meteo_daily(source, body(R"(["2015-01-01","2015-01-02"])", ""));
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->days.size(), 2U);
}

TEST(OpenMeteoError, RateLimitIsUnavailable) {
  const auto error =
      open_meteo_error(429, R"({"error":true,"reason":"Minutely API request limit exceeded"})");
  EXPECT_EQ(error.code, domain::ErrorCode::unavailable);
  EXPECT_NE(error.message.find("Minutely"), std::string::npos);
}

}  // namespace
}  // namespace evapo::sources
