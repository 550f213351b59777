#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <evapo/pipeline/calculation.hpp>

namespace evapo::pipeline {
namespace {

TEST(ResultJson, FieldNamesAndNullForMissing) {
  CalculationResult result;
  result.location = {-22.7, -47.6, 546.0};
  result.elevation_source = "open_meteo";
  result.time_zone = "America/Sao_Paulo";
  result.time_zone_source = domain::TimeZoneSource::boundary;
  result.utc_offset_seconds = -10800;
  result.warnings = {warning::source_variable_missing(domain::SourceId::nasa_power, "radiation", 3),
                     warning::over_sea(123.4)};
  DailyResult day;
  day.date = *domain::parse_iso_date("2025-01-10");
  day.eto_mm = 5.12345;
  day.eto_sd_mm = 0.3;
  day.quality = Quality::medium;
  day.quality_reasons = {"single_source"};
  day.sources = {domain::SourceId::nasa_power};
  day.tmax_c = 31.0;
  day.precip_mm = 0.0;
  result.days.push_back(day);
  const auto json = to_json(result);
  const auto& row = json.at("days").at(0);
  EXPECT_EQ(row.at("date"), "2025-01-10");
  EXPECT_DOUBLE_EQ(row.at("eto_mm").get<double>(), 5.123);
  EXPECT_EQ(row.at("quality"), "medium");
  EXPECT_EQ(row.at("sources").at(0), "nasa_power");
  EXPECT_DOUBLE_EQ(row.at("precip_mm").get<double>(), 0.0);
  EXPECT_TRUE(row.at("upstream_eto_mm").is_null());  // missing is null, never 0
  EXPECT_TRUE(row.at("tmin_c").is_null());
  EXPECT_TRUE(row.at("p_minus_eto_mm").is_null());
  for (const char* key :
       {"eto_sd_mm", "quality_reasons", "flags", "rh_mean_pct", "u2_m_s", "rs_mj_m2"}) {
    EXPECT_TRUE(row.contains(key)) << key;
  }
  // A code and its parameters for a UI to translate, and the English sentence for everyone else.
  EXPECT_EQ(json.at("warnings").at(0), nlohmann::json::parse(R"({"code":"source_variable_missing",
              "params":{"source":"nasa_power","variable":"radiation","days":3},
              "message":"nasa_power: radiation missing on 3 days"})"));
  EXPECT_EQ(json.at("warnings").at(1).at("params").at("distance_km"), 123);
  EXPECT_EQ(json.at("location").at("utc_offset_seconds"), -10800);
  EXPECT_EQ(json.at("location").at("time_zone"), "America/Sao_Paulo");
  EXPECT_EQ(json.at("location").at("time_zone_source"), "boundary");
  EXPECT_EQ(json.at("location").at("elevation_source"), "open_meteo");
}

}  // namespace
}  // namespace evapo::pipeline
