#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <evapo/sources/nasa_power_client.hpp>

#include "fixture_path.hpp"

namespace evapo::sources {
namespace {

using test::day;
using test::read_fixture;

TEST(NasaPowerUrl, HasTheRealPathAndQuery) {
  const auto url = nasa_power_url("http://x", {39.46, -118.77, std::nullopt}, day(2015, 1, 1),
                                  day(2015, 12, 31));
  EXPECT_EQ(
      url,
      "http://x/api/temporal/daily/"
      "point?parameters=T2M_MAX,T2M_MIN,T2M,T2MDEW,RH2M,WS2M,ALLSKY_SFC_SW_DWN,"
      "PRECTOTCORR&community=AG&longitude=-118.7700&latitude=39.4600&start=20150101&end=20151231"
      "&format=JSON&time-standard=LST");
}

// Recorded: ropensci/nasapower daily AG point, UTC, CSV (fixtures README).
TEST(NasaPowerCsv, AgPointUtcCassetteBody) {
  const auto series = parse_nasa_power_csv(read_fixture("nasa_power_daily_ag_point_utc_body.csv"));
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_DOUBLE_EQ(series->elevation_m, 2885.03);
  ASSERT_EQ(series->days.size(), 1U);
  const auto& d = series->days[0];
  EXPECT_EQ(d.date, day(1983, 1, 1));
  EXPECT_DOUBLE_EQ(d.tmean_c, -24.36);
  EXPECT_DOUBLE_EQ(d.tmin_c, -25.37);
  EXPECT_DOUBLE_EQ(d.tmax_c, -22.7);
  EXPECT_DOUBLE_EQ(d.rh_mean_pct, 92.61);
  EXPECT_DOUBLE_EQ(d.wind_m_s, 1.93);
  EXPECT_DOUBLE_EQ(d.wind_height_m, 10.0);  // WS10M, no WS2M in this request
  EXPECT_TRUE(std::isnan(d.rs_mj_m2));
}

TEST(NasaPowerCsv, SbCommunityUsesYearMonthDayColumns) {
  const auto series = parse_nasa_power_csv(read_fixture("nasa_power_daily_sb_point_lst_body.csv"));
  ASSERT_TRUE(series) << series.error().message;
  ASSERT_EQ(series->days.size(), 1U);
  EXPECT_EQ(series->days[0].date, day(1983, 1, 1));
  EXPECT_DOUBLE_EQ(series->days[0].tmean_c, -25.24);
  EXPECT_DOUBLE_EQ(series->days[0].rh_mean_pct, 94.43);
  EXPECT_DOUBLE_EQ(series->days[0].wind_m_s, 2.32);
}

TEST(NasaPowerCsv, MessagesBlockAndExtraColumnAreTolerated) {
  const auto series =
      parse_nasa_power_csv(read_fixture("nasa_power_daily_wind_elevation_body.csv"));
  ASSERT_TRUE(series) << series.error().message;
  ASSERT_EQ(series->days.size(), 1U);
  EXPECT_DOUBLE_EQ(series->days[0].wind_m_s, 1.93);  // WS10M, not the adjusted WSC 6.5
}

// Recorded: alekfal/pynasapower Athens 2022-01-01..2022-02-01, header split off by the client.
TEST(NasaPowerCsv, AthensFullFao56InputSetWithHeader) {
  const std::string body = read_fixture("nasa_power_daily_point_athens_2022-01_header.txt") +
                           read_fixture("nasa_power_daily_point_athens_2022-01_body.csv");
  const auto series = parse_nasa_power_csv(body);
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_DOUBLE_EQ(series->elevation_m, 140.03);
  ASSERT_EQ(series->days.size(), 32U);
  EXPECT_EQ(series->days.front().date, day(2022, 1, 1));
  EXPECT_EQ(series->days.back().date, day(2022, 2, 1));
  const auto& first = series->days.front();
  EXPECT_DOUBLE_EQ(first.rs_mj_m2, 8.78);
  EXPECT_DOUBLE_EQ(first.tmean_c, 11.24);
  EXPECT_DOUBLE_EQ(first.tmin_c, 7.65);
  EXPECT_DOUBLE_EQ(first.tmax_c, 15.87);
  EXPECT_DOUBLE_EQ(first.tdew_c, 8.77);
  EXPECT_DOUBLE_EQ(first.wind_m_s, 1.83);
  EXPECT_DOUBLE_EQ(first.wind_height_m, 2.0);
  EXPECT_DOUBLE_EQ(first.precip_mm, 0.0);
  EXPECT_DOUBLE_EQ(series->days[7].precip_mm, 20.37);
  EXPECT_TRUE(series->warnings.empty()) << series->warnings.front();
}

TEST(NasaPowerCsv, BodyWithoutHeaderAssumesAgUnitsWithWarning) {
  const auto series =
      parse_nasa_power_csv(read_fixture("nasa_power_daily_point_athens_2022-01_body.csv"));
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(series->days.size(), 32U);
  ASSERT_FALSE(series->warnings.empty());
  EXPECT_NE(series->warnings.front().find("AG units assumed"), std::string::npos);
}

// The three ropensci/nasapower cassettes: each recorded body is the extracted .csv byte for
// byte, and parses.
// Found by fuzz_nasa_power (fuzz/corpus/nasa_power/crash-csv-date-cell-not-a-number.csv): a date
// cell that is not a whole number in range was cast to int (undefined behaviour for NaN).
TEST(NasaPowerCsv, DateCellsThatAreNotDatesAreRefused) {
  for (const char* row : {"2022,x1,15.3", "2022,1e300,15.3", "nan,5,15.3", "2022,0,15.3",
                          "2022,367,15.3", "2022,1.5,15.3", "-inf,1,15.3", "99999,1,15.3"}) {
    const auto series = parse_nasa_power_csv(std::string("YEAR,DOY,T2M\n") + row + "\n");
    ASSERT_FALSE(series) << row;
    EXPECT_NE(series.error().message.find("valid date"), std::string::npos) << row;
  }
  const auto monthly = parse_nasa_power_csv("YEAR,MO,DY,T2M\n2022,13,1,15.3\n");
  ASSERT_FALSE(monthly);
  const auto good = parse_nasa_power_csv("YEAR,DOY,T2M\n2022,32,15.3\n");
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->days.at(0).date, domain::Date(std::chrono::year{2022} / 2 / 1));
}

TEST(NasaPowerCsv, CassettesHoldTheExtractedBodies) {
  for (const auto& [cassette, body] :
       {std::pair{"nasa_power_daily_ag_point_utc_csv_cassette.json",
                  "nasa_power_daily_ag_point_utc_body.csv"},
        std::pair{"nasa_power_daily_sb_point_lst_csv_cassette.json",
                  "nasa_power_daily_sb_point_lst_body.csv"},
        std::pair{"nasa_power_daily_wind_elevation_csv_cassette.json",
                  "nasa_power_daily_wind_elevation_body.csv"}}) {
    const auto json = nlohmann::json::parse(read_fixture(cassette));
    const auto& response = json["http_interactions"][0]["response"];
    EXPECT_EQ(response["status"], 200) << cassette;
    const std::string recorded = response["body"]["string"];
    EXPECT_EQ(recorded, read_fixture(body)) << cassette;
    const auto series = parse_nasa_power_csv(recorded);
    ASSERT_TRUE(series) << cassette << ": " << series.error().message;
    EXPECT_EQ(series->days.size(), 1U);
  }
}

// The only real POWER JSON recorded is a monthly regional FeatureCollection: it must be refused
// clearly, not misread as days.
TEST(NasaPowerJson, RegionalMonthlyFixtureIsRefused) {
  const auto series =
      parse_nasa_power_json(read_fixture("nasa_power_regional_monthly_example.json"));
  ASSERT_FALSE(series);
  EXPECT_EQ(series.error().code, domain::ErrorCode::upstream);
  EXPECT_NE(series.error().message.find("FeatureCollection"), std::string::npos);
}

TEST(NasaPowerJson, MonthlyKeysInAFeatureAreRefused) {
  const auto series = parse_nasa_power_json(
      R"({"type":"Feature","properties":{"parameter":{"T2M":{"202201":10.1,"202213":15.0}}},
          "parameters":{"T2M":{"units":"C"}}})");
  ASSERT_FALSE(series);
  EXPECT_NE(series.error().message.find("YYYYMMDD"), std::string::npos);
}

// The documented daily point layout (weather-apis.md A1), with fill values and RE units.
TEST(NasaPowerJson, DailyPointFillValuesUnitsAndElevation) {
  const auto series = parse_nasa_power_json(R"({
    "type":"Feature","geometry":{"type":"Point","coordinates":[-118.77,39.46,1208.3]},
    "properties":{"parameter":{
      "T2M_MAX":{"20150101":5.5,"20150102":-999.0,"20150103":-999.0},
      "T2M_MIN":{"20150101":-4.0,"20150102":-3.0,"20150103":-999.0},
      "ALLSKY_SFC_SW_DWN":{"20150101":2.5,"20150102":-999.0,"20150103":-999.0},
      "WS2M":{"20150101":1.5,"20150102":2.0,"20150103":-999.0}}},
    "header":{"fill_value":-999.0,"start":"20150101","end":"20150103"},
    "parameters":{"T2M_MAX":{"units":"C"},"T2M_MIN":{"units":"C"},
                  "ALLSKY_SFC_SW_DWN":{"units":"kW-hr/m^2/day"},"WS2M":{"units":"m/s"}}})");
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_DOUBLE_EQ(series->elevation_m, 1208.3);
  ASSERT_EQ(series->days.size(), 2U);  // the all-missing third day is dropped
  EXPECT_DOUBLE_EQ(series->days[0].rs_mj_m2, 2.5 * 3.6);
  EXPECT_DOUBLE_EQ(series->days[0].tmax_c, 5.5);
  EXPECT_TRUE(std::isnan(series->days[1].tmax_c));
  EXPECT_TRUE(std::isnan(series->days[1].rs_mj_m2));
  EXPECT_DOUBLE_EQ(series->days[1].wind_m_s, 2.0);
  EXPECT_TRUE(series->warnings.empty());
}

TEST(NasaPowerJson, UnknownUnitDropsTheParameter) {
  const auto series = parse_nasa_power_json(R"({"type":"Feature",
    "properties":{"parameter":{"T2M_MAX":{"20150101":300.0},"RH2M":{"20150101":50.0}}},
    "parameters":{"T2M_MAX":{"units":"degR"},"RH2M":{"units":"%"}}})");
  ASSERT_TRUE(series);
  ASSERT_EQ(series->days.size(), 1U);
  EXPECT_TRUE(std::isnan(series->days[0].tmax_c));
  EXPECT_DOUBLE_EQ(series->days[0].rh_mean_pct, 50.0);
  EXPECT_NE(series->warnings.front().find("degR"), std::string::npos);
}

TEST(NasaPowerJson, InvalidJsonIsAnUpstreamError) {
  const auto series = parse_nasa_power_json("{\"type\":\"Feature\",\"prop");
  ASSERT_FALSE(series);
  EXPECT_EQ(series.error().code, domain::ErrorCode::upstream);
}

TEST(NasaPowerError, ReadsTheMessageOrTheStatus) {
  const auto e422 =
      nasa_power_error(422, R"({"header":"Invalid Request","messages":["bad parameter X"]})");
  EXPECT_EQ(e422.code, domain::ErrorCode::upstream);
  EXPECT_NE(e422.message.find("bad parameter X"), std::string::npos);
  // The recorded 503 has no body.
  const auto e503 = nasa_power_error(503, "");
  EXPECT_EQ(e503.code, domain::ErrorCode::unavailable);
  EXPECT_NE(e503.message.find("503"), std::string::npos);
}

}  // namespace
}  // namespace evapo::sources
