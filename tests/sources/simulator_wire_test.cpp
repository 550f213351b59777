// The simulator answers in each API's exact format: its bodies have the recorded fixtures' fields,
// and recorded requests are replayed byte for byte.

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <support/upstream_simulator.hpp>

#include <evapo/sources/http_client.hpp>
#include <evapo/sources/met_norway_client.hpp>
#include <evapo/sources/nasa_power_client.hpp>
#include <evapo/sources/nws_client.hpp>
#include <evapo/sources/open_meteo_client.hpp>

#include "fixture_path.hpp"

namespace evapo::sources {
namespace {

using Json = nlohmann::json;
using test::day;
using test::read_fixture;
using test::utc_plus;

std::string read_data_file(const std::string& name) {
  std::ifstream file(std::string(EVAPO_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), {}};
}

class SimulatorWireTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::UpstreamSimulator::Options options;
    options.replay_fixtures = true;
    options.today = "2026-07-01";
    sim_ = new testing::UpstreamSimulator(options);
  }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }

  HttpResponse get(const std::string& path_and_query) {
    auto response = http_.perform(get_request(sim_->base_url() + path_and_query, "test"));
    EXPECT_TRUE(response) << response.error().message;
    return response ? *response : HttpResponse{};
  }

  // Every key of `recorded` (recursively through objects, first element of arrays) is in `built`.
  static void expect_same_fields(const Json& recorded, const Json& built,
                                 const std::string& where) {
    if (recorded.is_object()) {
      ASSERT_TRUE(built.is_object()) << where;
      for (const auto& [key, value] : recorded.items()) {
        ASSERT_TRUE(built.contains(key)) << where << "." << key;
        expect_same_fields(value, built[key], where + "." + key);
      }
    } else if (recorded.is_array() && !recorded.empty() && recorded.front().is_object()) {
      ASSERT_TRUE(built.is_array() && !built.empty()) << where;
      expect_same_fields(recorded.front(), built.front(), where + "[0]");
    }
  }

  static testing::UpstreamSimulator* sim_;
  HttpClient http_;
};

testing::UpstreamSimulator* SimulatorWireTest::sim_ = nullptr;

TEST_F(SimulatorWireTest, OpenMeteoArchiveHasTheRecordedFields) {
  const auto recorded = Json::parse(read_fixture("open_meteo_archive_daily_example.json"));
  const auto built =
      get("/v1/archive?latitude=-15.79&longitude=-47.88&start_date=2022-12-29&end_date=2023-01-08"
          "&daily=temperature_2m_max&timezone=auto");
  expect_same_fields(recorded, Json::parse(built.body), "archive");
  const auto json = Json::parse(built.body);
  EXPECT_EQ(json["utc_offset_seconds"], -10800);
  EXPECT_EQ(json["daily"]["time"].size(), 11U);
  EXPECT_EQ(json["daily_units"]["temperature_2m_max"], "°C");
}

// timezone=auto is the point's IANA zone, like the real API (not the longitude's band); names
// from the tz database are accepted; every day uses the offset in force now.
TEST_F(SimulatorWireTest, OpenMeteoTimeZoneIsThePointsOrTheNamedZone) {
  const auto zone_of = [&](const std::string& where, const std::string& timezone) {
    return Json::parse(get("/v1/archive?" + where +
                           "&start_date=2024-01-01&end_date=2024-01-02&daily=temperature_2m_max"
                           "&timezone=" +
                           timezone)
                           .body);
  };
  const auto kashgar = zone_of("latitude=39.47&longitude=75.99", "auto");  // longitude says +5
  EXPECT_EQ(kashgar["timezone"], "Asia/Shanghai");
  EXPECT_EQ(kashgar["utc_offset_seconds"], 8 * 3600);
  EXPECT_EQ(kashgar["timezone_abbreviation"], "CST");
  const auto sea = zone_of("latitude=-12.5&longitude=-130.8", "auto");  // as recorded
  EXPECT_EQ(sea["timezone"], "Etc/GMT+9");
  EXPECT_EQ(sea["utc_offset_seconds"], -9 * 3600);
  EXPECT_EQ(sea["timezone_abbreviation"], "-09");
  const auto named = zone_of("latitude=-12.5&longitude=-130.8", "Etc%2FGMT%2B3");
  EXPECT_EQ(named["timezone"], "Etc/GMT+3");
  EXPECT_EQ(named["utc_offset_seconds"], -3 * 3600);
  const auto unknown =
      get("/v1/archive?latitude=1&longitude=2&start_date=2024-01-01"
          "&end_date=2024-01-02&daily=temperature_2m_max&timezone=Mars%2FBase");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Json::parse(unknown.body)["error"], true);
}

TEST_F(SimulatorWireTest, NwsPointsNameThePointsZone) {
  const auto points = Json::parse(get("/points/39.4575,-118.7767").body);
  EXPECT_EQ(points["properties"]["timeZone"], "America/Los_Angeles");
}

TEST_F(SimulatorWireTest, OpenMeteoErrorsHaveTheRecordedShape) {
  const auto response = get("/v1/forecast?latitude=45.5&longitude=9.2&timezone=auto&daily=lksdfj");
  EXPECT_EQ(response.status, 400);
  const auto json = Json::parse(response.body);
  EXPECT_EQ(json["error"], true);
  EXPECT_NE(json["reason"].get<std::string>().find("Cannot initialize"), std::string::npos);
}

TEST_F(SimulatorWireTest, NasaPowerJsonHasTheDocumentedFields) {
  const auto recorded = Json::parse(read_fixture("nasa_power_regional_monthly_example.json"));
  const auto built = Json::parse(
      get(nasa_power_url("", {37.98, 23.73, std::nullopt}, day(2022, 1, 1), day(2022, 1, 31)))
          .body);
  // The regional fixture's feature and trailer blocks are what a daily point response carries,
  // with YYYYMMDD keys instead of YYYYMM.
  for (const auto& [name, values] : recorded["features"][0]["properties"]["parameter"].items()) {
    if (std::string(kNasaPowerParameters).find(name) == std::string::npos) continue;
    ASSERT_TRUE(built["properties"]["parameter"].contains(name)) << name;
    EXPECT_EQ(built["properties"]["parameter"][name].size(), 31U) << name;
    EXPECT_TRUE(built["properties"]["parameter"][name].contains("20220115")) << name;
  }
  EXPECT_EQ(built["type"], "Feature");
  EXPECT_EQ(built["header"]["fill_value"], recorded["header"]["fill_value"]);
  for (const char* key : {"title", "api", "sources", "fill_value", "start", "end"})
    EXPECT_TRUE(built["header"].contains(key)) << key;
  EXPECT_TRUE(built.contains("messages"));
  EXPECT_TRUE(built.contains("times"));
  for (const auto& [name, units] : recorded["parameters"].items()) {
    if (built["parameters"].contains(name)) {
      EXPECT_EQ(built["parameters"][name]["units"], units["units"]) << name;
    }
  }
}

TEST_F(SimulatorWireTest, MetNorwayHasTheRecordedFields) {
  const auto recorded =
      Json::parse(read_fixture("met_norway_locationforecast_complete_example.json"))["data"];
  const auto built = Json::parse(
      get("/weatherapi/locationforecast/2.0/complete?lat=51.51&lon=-0.12&altitude=25").body);
  expect_same_fields(recorded, built, "complete");
  EXPECT_EQ(built["properties"]["meta"]["units"], recorded["properties"]["meta"]["units"]);
  const auto& steps = built["properties"]["timeseries"];
  EXPECT_FALSE(steps.back()["data"].contains("next_1_hours"));  // last steps: keys absent
  EXPECT_FALSE(steps.back()["data"].contains("next_6_hours"));
}

TEST_F(SimulatorWireTest, NwsHasTheRecordedFields) {
  const auto points = Json::parse(get("/points/30.0001,-85.0001").body);
  for (const char* key : {"gridId", "gridX", "gridY", "forecastGridData", "timeZone"}) {
    EXPECT_TRUE(points["properties"].contains(key)) << key;
  }
  const std::string grid = points["properties"]["forecastGridData"];
  const auto built = Json::parse(get(grid.substr(sim_->base_url().size())).body);
  const auto recorded = Json::parse(read_fixture("nws_gridpoints_raw_example.json"));
  for (const char* layer :
       {"temperature", "dewpoint", "maxTemperature", "minTemperature", "relativeHumidity",
        "windSpeed", "skyCover", "quantitativePrecipitation"}) {
    expect_same_fields(recorded["properties"][layer], built["properties"][layer], layer);
    EXPECT_EQ(built["properties"][layer]["uom"], recorded["properties"][layer]["uom"]) << layer;
  }
  const auto outside = get("/points/51.5,-0.1");
  EXPECT_EQ(outside.status, 404);
  EXPECT_EQ(nws_error(outside.status, outside.body).code, domain::ErrorCode::not_found);
}

TEST_F(SimulatorWireTest, GeocodingHasTheRecordedFieldsAndOrder) {
  const std::string recorded = read_data_file("geocoding/search_rio_de_janeiro_en.json");
  ASSERT_FALSE(recorded.empty());
  const auto built = get("/v1/search?name=Rio%20de%20Janeiro&count=1&language=en&format=json");
  EXPECT_EQ(built.status, 200);
  const auto recorded_json = nlohmann::ordered_json::parse(recorded);
  auto built_json = nlohmann::ordered_json::parse(built.body);
  // Field for field, in the API's order; only the timing differs.
  built_json["generationtime_ms"] = recorded_json["generationtime_ms"];
  EXPECT_EQ(built_json.dump(), recorded_json.dump());
  const auto nothing = Json::parse(get("/v1/search?name=Zzyzx&count=5&language=en").body);
  EXPECT_FALSE(nothing.contains("results"));
  EXPECT_TRUE(nothing.contains("generationtime_ms"));
  const auto refused = get("/v1/search?name=Berlin&count=0");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(Json::parse(refused.body),
            Json::parse(read_data_file("geocoding/search_error_400_count.json")));
  const auto portuguese = Json::parse(get("/v1/search?name=sao%20paulo&language=pt").body);
  EXPECT_EQ(portuguese["results"][0]["name"], "São Paulo");
  EXPECT_EQ(portuguese["results"][0]["country"], "Brasil");
}

TEST_F(SimulatorWireTest, ReplaysRecordedNwsBytes) {
  const auto response = get("/points/30,-85");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, read_fixture("nws_points_example.json"));
  const auto grid = parse_nws_points(response.body);
  ASSERT_TRUE(grid);
  const auto raw = get(nws_gridpoints_url("", *grid));
  EXPECT_EQ(raw.body, read_fixture("nws_gridpoints_raw_example.json"));
  EXPECT_TRUE(
      parse_nws_gridpoints(raw.body, utc_plus(-5 * 3600), day(2022, 2, 1), day(2022, 2, 28)));
}

TEST_F(SimulatorWireTest, ReplaysRecordedNasaPowerCassetteThroughHttp) {
  const auto response =
      get("/api/temporal/daily/point?parameters=T2M%2CT2M_MIN%2CT2M_MAX%2CRH2M%2CWS10M%2CPS"
          "&community=ag&start=19830101&end=19830101&longitude=-179.5&latitude=-89.5&format=csv"
          "&time-standard=UTC&user=nasapower4r");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/csv");
  EXPECT_EQ(response.body, read_fixture("nasa_power_daily_ag_point_utc_body.csv"));
  const auto series = parse_nasa_power_csv(response.body);
  ASSERT_TRUE(series);
  EXPECT_DOUBLE_EQ(series->days.at(0).tmax_c, -22.7);
}

TEST_F(SimulatorWireTest, ReplaysRecordedOpenMeteoErrorThroughHttp) {
  const auto response =
      get("/v1/forecast?latitude=-12.46113&longitude=130.84184&current_weather=TRUE&timezone=auto"
          "&temperature_unit=asdfsfd&windspeed_unit=asdfsd");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, read_fixture("open_meteo_error_400_bad_unit_body.json"));
  EXPECT_NE(open_meteo_error(response.status, response.body).message.find("TemperatureUnit"),
            std::string::npos);
}

TEST_F(SimulatorWireTest, ReplaysRecordedMetNorwayBody) {
  const auto response =
      get("/weatherapi/locationforecast/2.0/complete?lat=51.5&lon=-0.1&altitude=25");
  EXPECT_EQ(Json::parse(response.body),
            Json::parse(read_fixture("met_norway_locationforecast_complete_example.json"))["data"]);
  EXPECT_TRUE(parse_met_norway(response.body, utc_plus(0), day(2020, 7, 20), day(2020, 7, 29)));
}

TEST_F(SimulatorWireTest, StatsCountRequestsPerUpstream) {
  const int before = sim_->requests("elevation");
  get("/v1/elevation?latitude=1&longitude=2");
  EXPECT_EQ(sim_->requests("elevation"), before + 1);
}

}  // namespace
}  // namespace evapo::sources
