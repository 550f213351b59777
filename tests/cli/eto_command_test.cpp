// `evapo eto` end to end: each flag, the output shape, CSV and JSON.

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_evapo.hpp"

namespace evapo::cli_test {
namespace {

// FAO-56 Example 18: Brussels (50°48'N, 100 m), 6 July; published ETo 3.88 mm/d with
// ea 1.409 kPa, Δ 0.122 kPa/°C, γ 0.0666 kPa/°C, Ra 41.09, Rso 30.90, Rnl 3.71, Rn 13.28 MJ m-2
// d-1.
const std::string kBrussels =
    "date,tmax_c,tmin_c,rh_max_pct,rh_min_pct,wind_m_s,rs_mj_m2\n"
    "2015-07-06,21.5,12.3,84,63,2.078,22.07\n";
const std::vector<std::string> kBrusselsSite = {"--latitude", "50.8", "--elevation", "100"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

double value_at(const RunResult& run, const std::string& name, std::size_t row = 1) {
  const auto rows = simple_csv(run.out);
  EXPECT_GT(rows.size(), row);
  if (rows.size() <= row) return NAN;
  return std::stod(rows[row][column(rows[0], name)]);
}

TEST(EtoCommand, DefaultsReproduceFao56Example18FromStdin) {
  const auto run = run_evapo(with({"eto"}, kBrusselsSite), kBrussels);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const auto rows = simple_csv(run.out);
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"date", "tmax_c", "tmin_c", "rh_max_pct", "rh_min_pct",
                                      "wind_m_s", "rs_mj_m2", "eto_mm", "flags"}));
  // Every input field comes back verbatim.
  EXPECT_EQ(run.out.substr(run.out.find('\n') + 1, 38), "2015-07-06,21.5,12.3,84,63,2.078,22.07");
  EXPECT_NEAR(value_at(run, "eto_mm"), 3.88, 0.01);
  EXPECT_EQ(rows[1][column(rows[0], "flags")], "ea_from_rh_max_min");
}

TEST(EtoCommand, DashReadsStdinLikeNoFile) {
  const auto implicit = run_evapo(with({"eto"}, kBrusselsSite), kBrussels);
  const auto dash = run_evapo(with(with({"eto"}, kBrusselsSite), {"-"}), kBrussels);
  ASSERT_EQ(dash.exit_code, 0) << dash.err;
  EXPECT_EQ(dash.out, implicit.out);
}

TEST(EtoCommand, ExplainAddsEveryIntermediateAtTheBooksPrecision) {
  const auto run = run_evapo(with({"eto", "--explain"}, kBrusselsSite), kBrussels);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto rows = simple_csv(run.out);
  for (const char* name :
       {"pressure_kpa", "gamma_kpa_c", "tmean_used_c", "delta_kpa_c", "es_kpa", "ea_used_kpa",
        "vpd_kpa", "ra_mj_m2", "daylight_h", "rso_mj_m2", "rs_used_mj_m2", "fcd", "rns_mj_m2",
        "rnl_mj_m2", "rn_mj_m2", "g_used_mj_m2", "u2_m_s"}) {
    SCOPED_TRACE(name);
    column(rows[0], name);
  }
  EXPECT_NEAR(value_at(run, "ea_used_kpa"), 1.409, 0.0005);
  EXPECT_NEAR(value_at(run, "delta_kpa_c"), 0.122, 0.0005);
  EXPECT_NEAR(value_at(run, "gamma_kpa_c"), 0.0666, 0.00005);
  EXPECT_NEAR(value_at(run, "ra_mj_m2"), 41.09, 0.005);
  EXPECT_NEAR(value_at(run, "rso_mj_m2"), 30.90, 0.005);
  EXPECT_NEAR(value_at(run, "rnl_mj_m2"), 3.71, 0.005);
  EXPECT_NEAR(value_at(run, "rn_mj_m2"), 13.28, 0.005);
  EXPECT_NEAR(value_at(run, "vpd_kpa"), value_at(run, "es_kpa") - value_at(run, "ea_used_kpa"),
              0.0002);
  EXPECT_NEAR(value_at(run, "u2_m_s"), 2.078, 0.0001);
  // Without --explain none of them appear.
  const auto plain = run_evapo(with({"eto"}, kBrusselsSite), kBrussels);
  EXPECT_EQ(plain.out.find("rn_mj_m2"), std::string::npos);
}

TEST(EtoCommand, SiteFlagsEqualSiteColumns) {
  const std::string with_columns =
      "date,tmax_c,tmin_c,rh_max_pct,rh_min_pct,wind_m_s,rs_mj_m2,latitude_deg,elevation_m\n"
      "2015-07-06,21.5,12.3,84,63,2.078,22.07,50.8,100\n";
  const auto by_column = run_evapo({"eto"}, with_columns);
  ASSERT_EQ(by_column.exit_code, 0) << by_column.err;
  EXPECT_DOUBLE_EQ(value_at(by_column, "eto_mm"),
                   value_at(run_evapo(with({"eto"}, kBrusselsSite), kBrussels), "eto_mm"));
  // A column wins over a flag; the flag fills only where the column is absent or empty.
  const auto column_wins =
      run_evapo({"eto", "--latitude", "-30", "--elevation", "2000"}, with_columns);
  EXPECT_DOUBLE_EQ(value_at(column_wins, "eto_mm"), value_at(by_column, "eto_mm"));
  // Each site flag changes the answer.
  const double base = value_at(by_column, "eto_mm");
  EXPECT_NE(
      value_at(run_evapo({"eto", "--latitude", "10", "--elevation", "100"}, kBrussels), "eto_mm"),
      base);
  EXPECT_NE(value_at(run_evapo({"eto", "--latitude", "50.8", "--elevation", "2500"}, kBrussels),
                     "eto_mm"),
            base);
}

TEST(EtoCommand, OneFileManySitesEqualsOneRunPerSite) {
  const std::string header =
      "site,date,tmax_c,tmin_c,rh_max_pct,rh_min_pct,wind_m_s,rs_mj_m2,latitude_deg,elevation_m\n";
  const std::string brussels = "bru,2015-07-06,21.5,12.3,84,63,2.078,22.07,50.8,100\n";
  const std::string fallon = "fal,2015-07-06,35.3,14.2,60,15,1.5,30.9,39.4575,1208.5\n";
  const auto both = run_evapo({"eto"}, header + brussels + fallon + brussels);
  const auto only_brussels = run_evapo({"eto"}, header + brussels);
  const auto only_fallon = run_evapo({"eto"}, header + fallon);
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_EQ(value_at(both, "eto_mm", 1), value_at(only_brussels, "eto_mm", 1));
  EXPECT_EQ(value_at(both, "eto_mm", 2), value_at(only_fallon, "eto_mm", 1));
  EXPECT_EQ(value_at(both, "eto_mm", 3), value_at(only_brussels, "eto_mm", 1));
  EXPECT_GT(value_at(both, "eto_mm", 2), value_at(both, "eto_mm", 1) + 1.0);
}

TEST(EtoCommand, WindHeightFlagBringsWindTo2m) {
  // u2 = uz 4.87 / ln(67.8 z - 5.42) (FAO-56 Eq. 47): 2.778 m/s at 10 m is 2.078 m/s at 2 m.
  const std::string at_10m =
      "date,tmax_c,tmin_c,rh_max_pct,rh_min_pct,wind_m_s,rs_mj_m2\n"
      "2015-07-06,21.5,12.3,84,63,2.7782,22.07\n";
  const auto run =
      run_evapo(with({"eto", "--wind-height", "10", "--explain"}, kBrusselsSite), at_10m);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NEAR(value_at(run, "u2_m_s"), 2.078, 0.001);
  EXPECT_NEAR(value_at(run, "eto_mm"), 3.88, 0.01);
  EXPECT_NE(simple_csv(run.out)[1].back(), "");
  EXPECT_NE(run.out.find("wind_height_adjusted"), std::string::npos);
}

TEST(EtoCommand, MethodsNameTheirColumnAndDiffer) {
  const auto fao = run_evapo(with({"eto", "--method", "fao56"}, kBrusselsSite), kBrussels);
  const auto tall = run_evapo(with({"eto", "--method", "asce-tall"}, kBrusselsSite), kBrussels);
  const auto asce = run_evapo(with({"eto", "--method", "asce-short"}, kBrusselsSite), kBrussels);
  const auto hg = run_evapo(with({"eto", "--method", "hargreaves"}, kBrusselsSite), kBrussels);
  for (const auto* run : {&fao, &tall, &asce, &hg}) ASSERT_EQ(run->exit_code, 0) << run->err;
  EXPECT_EQ(tall.out.find("eto_mm"), std::string::npos);
  const double etr = value_at(tall, "etr_mm");
  const double eto = value_at(fao, "eto_mm");
  EXPECT_GT(etr, eto * 1.1);  // the tall crop transpires more in a dry, sunny day
  // Daily ASCE short uses the FAO-56 coefficients (900/0.34); only rounding of constants differs.
  EXPECT_NEAR(value_at(asce, "eto_mm"), eto, 0.005);
  EXPECT_GT(std::abs(value_at(hg, "eto_mm") - eto), 0.01);
}

// Hargreaves-Samani (FAO-56 Eq. 52) uses temperature and Ra (latitude, day) only: it must not
// demand an elevation, nor humidity, wind or radiation columns (issue 11 §4.9).
TEST(EtoCommand, HargreavesNeedsNoElevation) {
  const std::string temperatures = "date,tmax_c,tmin_c\n2015-07-06,21.5,12.3\n";
  const auto without =
      run_evapo({"eto", "--method", "hargreaves", "--latitude", "50.8"}, temperatures);
  ASSERT_EQ(without.exit_code, 0) << without.err;
  const auto with_elevation = run_evapo(
      {"eto", "--method", "hargreaves", "--latitude", "50.8", "--elevation", "100"}, temperatures);
  ASSERT_EQ(with_elevation.exit_code, 0) << with_elevation.err;
  EXPECT_DOUBLE_EQ(value_at(without, "eto_mm"), value_at(with_elevation, "eto_mm"));
  // 0.0023 (16.9 + 17.8) sqrt(9.2) Ra, Ra = 41.09 MJ m-2 on day 187 at 50.8 N (x 0.408 to mm).
  EXPECT_NEAR(value_at(without, "eto_mm"), 0.0023 * 34.7 * std::sqrt(9.2) * 41.09 * 0.408, 0.02);
  // A value given is still checked, and Penman-Monteith still needs it.
  EXPECT_EQ(
      run_evapo({"eto", "--method", "hargreaves", "--latitude", "50.8", "--elevation", "20000"},
                temperatures)
          .exit_code,
      2);
  const auto fao = run_evapo({"eto", "--latitude", "50.8"}, temperatures);
  EXPECT_EQ(fao.exit_code, 2);
  EXPECT_NE(fao.err.find("elevation"), std::string::npos) << fao.err;
}

TEST(EtoCommand, RsoAndConstantsFlagsChangeWinterDays) {
  const std::string example = "examples/fallon_daily_2015.csv";
  const auto simple = run_evapo({"eto", "--method", "asce-short", example});
  const auto full = run_evapo({"eto", "--method", "asce-short", "--rso", "full", example});
  const auto ref_et = run_evapo(
      {"eto", "--method", "asce-short", "--rso", "full", "--constants", "ref-et", example});
  for (const auto* run : {&simple, &full, &ref_et}) ASSERT_EQ(run->exit_code, 0) << run->err;
  // 1 January: the full Rso is lower in winter, so fcd and Rnl rise and ETo falls.
  EXPECT_LT(value_at(full, "eto_mm"), value_at(simple, "eto_mm") - 0.01);
  EXPECT_NE(value_at(ref_et, "eto_mm"), value_at(full, "eto_mm"));
}

TEST(EtoCommand, BundledDailyExampleRunsWithNoFlags) {
  const auto run = run_evapo({"eto", "examples/fallon_daily_2015.csv"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto rows = simple_csv(run.out);
  ASSERT_EQ(rows.size(), 366U);
  const auto eto = column(rows[0], "eto_mm");
  const auto flags = column(rows[0], "flags");
  EXPECT_EQ(column(rows[0], "agrimet_eto_mm"), eto - 1);  // unknown columns pass through
  for (std::size_t i = 1; i < rows.size(); ++i) {
    SCOPED_TRACE(rows[i][0]);
    const double value = std::stod(rows[i][eto]);
    EXPECT_TRUE(std::isfinite(value));
    EXPECT_GT(value, 0.0);
    EXPECT_LT(value, 15.0);
  }
  // 2015-04-22 has no wind in the AgriMet record: FAO-56's 2 m/s default, flagged.
  EXPECT_EQ(rows[112][0], "2015-04-22");
  EXPECT_EQ(rows[112][flags], "ea_from_tdew;wind_defaulted");
}

TEST(EtoCommand, HourlyExampleWithTimestampConventions) {
  const std::string example = "examples/fallon_hourly_2015.csv";
  const auto end = run_evapo({"eto", "--timestep", "hourly", "--explain", example});
  const auto start =
      run_evapo({"eto", "--timestep", "hourly", "--timestamp", "start", "--explain", example});
  ASSERT_EQ(end.exit_code, 0) << end.err;
  ASSERT_EQ(start.exit_code, 0) << start.err;
  const auto end_rows = simple_csv(end.out);
  const auto start_rows = simple_csv(start.out);
  ASSERT_EQ(end_rows.size(), 8759U);
  ASSERT_EQ(start_rows.size(), 8759U);
  const auto eto = column(end_rows[0], "eto_mm");
  const auto ra = column(end_rows[0], "ra_mj_m2");
  std::size_t noon = 0;
  for (std::size_t i = 1; i < end_rows.size(); ++i) {
    if (end_rows[i][0] == "2015-07-01T12:00") noon = i;
  }
  ASSERT_GT(noon, 0U);
  EXPECT_GT(std::stod(end_rows[noon][eto]), 0.4);
  EXPECT_NE(end_rows[noon][eto], start_rows[noon][eto]);
  // A 12:00 stamp starting the hour is the hour a 13:00 stamp ends: same sun, same Ra.
  EXPECT_EQ(start_rows[noon][ra], end_rows[noon + 1][ra]);
  EXPECT_NE(start_rows[noon][ra], end_rows[noon][ra]);
}

TEST(EtoCommand, HourlySiteFlagsEqualSiteColumns) {
  // Two days of the hourly example, once with its site columns and once with flags instead.
  const auto example =
      simple_csv(read_file(std::string(EVAPO_SOURCE_DIR) + "/examples/fallon_hourly_2015.csv"));
  const std::size_t site_from = column(example[0], "latitude_deg");
  ASSERT_EQ(site_from, 5U);  // datetime,t_c,tdew_c,rs_mj_m2,wind_m_s, then the five site columns
  std::string with_columns;
  std::string without;
  for (std::size_t i = 0; i < example.size(); ++i) {
    if (i > 0 && example[i][0].rfind("2015-07-0", 0) != 0) continue;
    if (i > 0 && example[i][0] >= "2015-07-03") continue;
    for (std::size_t j = 0; j < example[i].size(); ++j) {
      with_columns += (j ? "," : "") + example[i][j];
      if (j < site_from) without += (j ? "," : "") + example[i][j];
    }
    with_columns += "\n";
    without += "\n";
  }
  const auto by_columns = run_evapo({"eto", "--timestep", "hourly"}, with_columns);
  const std::vector<std::string> flags = {"eto",     "--timestep",    "hourly",     "--latitude",
                                          "39.4575", "--longitude",   "-118.77388", "--elevation",
                                          "1208.5",  "--wind-height", "3",          "--tz-offset",
                                          "-8"};
  const auto by_flags = run_evapo(flags, without);
  ASSERT_EQ(by_columns.exit_code, 0) << by_columns.err;
  ASSERT_EQ(by_flags.exit_code, 0) << by_flags.err;
  const auto a = simple_csv(by_columns.out);
  const auto b = simple_csv(by_flags.out);
  ASSERT_EQ(a.size(), 49U);
  ASSERT_EQ(b.size(), 49U);
  for (std::size_t i = 1; i < a.size(); ++i) {
    EXPECT_EQ(a[i][column(a[0], "eto_mm")], b[i][column(b[0], "eto_mm")]) << a[i][0];
    EXPECT_EQ(a[i][column(a[0], "flags")], b[i][column(b[0], "flags")]) << a[i][0];
  }
  // Longitude and time zone place the sun: moving either shifts the hourly answer.
  auto moved = flags;
  moved[6] = "-100";
  const auto by_longitude = run_evapo(moved, without);
  moved = flags;
  moved[12] = "-6";
  const auto by_zone = run_evapo(moved, without);
  ASSERT_EQ(by_longitude.exit_code, 0) << by_longitude.err;
  ASSERT_EQ(by_zone.exit_code, 0) << by_zone.err;
  EXPECT_NE(by_longitude.out, by_flags.out);
  EXPECT_NE(by_zone.out, by_flags.out);
}

TEST(EtoCommand, JsonHasMetaTypedValuesAndFlagLists) {
  const std::string text =
      "station,date,tmax_c,tmin_c,rh_mean_pct,rs_mj_m2\n"
      "\"Uccle, BE\",2015-07-06,21.5,12.3,73.5,\n";
  const auto run = run_evapo(with({"eto", "--format", "json", "--explain"}, kBrusselsSite), text);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["meta"]["method"], "fao56");
  EXPECT_EQ(json["meta"]["timestep"], "daily");
  EXPECT_EQ(json["meta"]["unit"], "mm/d");
  EXPECT_EQ(json["meta"]["rows"], 1);
  ASSERT_EQ(json["rows"].size(), 1U);
  const auto& row = json["rows"][0];
  EXPECT_EQ(row["station"], "Uccle, BE");
  EXPECT_EQ(row["date"], "2015-07-06");
  EXPECT_DOUBLE_EQ(row["tmax_c"].get<double>(), 21.5);
  EXPECT_TRUE(row["rs_mj_m2"].is_null());
  EXPECT_TRUE(row["eto_mm"].is_number());
  EXPECT_TRUE(row["ra_mj_m2"].is_number());
  EXPECT_EQ(row["flags"],
            nlohmann::json::array({"ea_from_rh_mean", "rs_from_temperature", "wind_defaulted"}));
}

TEST(EtoCommand, SkipInvalidReportsBadRowsAndLeavesThemOut) {
  const std::string text =
      "date,tmax_c,tmin_c,rh_max_pct,rh_min_pct,wind_m_s,rs_mj_m2\n"
      "2015-07-06,21.5,12.3,84,63,2.078,22.07\n"
      "2015-07-07,10,12,84,63,2,20\n"
      "2015-07-08,21.5,12.3,101,63,2,20\n"
      "2015-07-09,21.5,12.3,84,63,2,-1\n"
      "2015-07-10,21.5,12.3,84,63,-0.5,20\n"
      "2015-07-11,22,13,80,60,2,21\n";
  const auto run = run_evapo(with({"eto", "--skip-invalid", "-"}, kBrusselsSite), text);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto rows = simple_csv(run.out);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[1][0], "2015-07-06");
  EXPECT_EQ(rows[2][0], "2015-07-11");
  EXPECT_EQ(run.err,
            "evapo eto: skipped -:3:3: tmin_c: Tmin 12 is above Tmax 10\n"
            "evapo eto: skipped -:4:4: rh_max_pct: 101 is outside the physically possible range "
            "[0, 100] of maximum relative humidity, %\n"
            "evapo eto: skipped -:5:7: rs_mj_m2: -1 is outside the physically possible range "
            "[0, 50] of solar radiation, MJ m-2 d-1\n"
            "evapo eto: skipped -:6:6: wind_m_s: -0.5 is outside the physically possible range "
            "[0, 100] of mean wind speed at wind_height_m, m/s\n"
            "evapo eto: 4 invalid row(s) skipped, 2 computed\n");
}

}  // namespace
}  // namespace evapo::cli_test
