// Warnings as codes with parameters, and what a source lacks told from its series alone.

#include <gtest/gtest.h>

#include <evapo/pipeline/warning.hpp>

namespace evapo::pipeline {
namespace {

using domain::SourceId;
using domain::WeatherDay;

domain::Date day(int d) {
  return domain::Date{std::chrono::year{2026}, std::chrono::November,
                      std::chrono::day{static_cast<unsigned>(d)}};
}

WeatherDay full_day(int d) {
  WeatherDay w;
  w.date = day(d);
  w.tmax_c = 30.0;
  w.tmin_c = 15.0;
  w.tdew_c = 10.0;
  w.wind_m_s = 2.0;
  w.rs_mj_m2 = 20.0;
  w.precip_mm = 0.0;
  return w;
}

std::vector<std::string> codes_and_counts(const std::vector<Warning>& warnings) {
  std::vector<std::string> out;
  for (const auto& w : warnings) out.push_back(w.message);
  return out;
}

TEST(CoverageWarnings, AFullSeriesWarnsOfNothing) {
  domain::WeatherSeries series;
  series.source = SourceId::nasa_power;
  for (int d = 1; d <= 5; ++d) series.days.push_back(full_day(d));
  EXPECT_TRUE(coverage_warnings(series, day(1), day(5)).empty());
}

// The archive's last days not yet published: absent days are told once, not per variable; a
// variable missing on some of the days with data is told by its everyday name.
TEST(CoverageWarnings, AbsentDaysOnceAndPartialVariablesByName) {
  domain::WeatherSeries series;
  series.source = SourceId::open_meteo_archive;
  series.days = {full_day(20), full_day(21), full_day(22)};
  series.days[1].tmax_c = domain::kMissing;
  series.days[1].wind_m_s = domain::kMissing;
  WeatherDay empty;  // stored all-missing by the cache: no data at all
  empty.date = day(23);
  series.days.push_back(empty);
  EXPECT_EQ(codes_and_counts(coverage_warnings(series, day(20), day(24))),
            (std::vector<std::string>{"open_meteo_archive: 2 days without any data",
                                      "open_meteo_archive: temperature missing on 1 day",
                                      "open_meteo_archive: wind missing on 1 day"}));
}

TEST(CoverageWarnings, AVariableTheSourceNeverGivesIsNotTold) {
  domain::WeatherSeries series;
  series.source = SourceId::met_norway;
  for (int d = 1; d <= 3; ++d) {
    auto w = full_day(d);
    w.rs_mj_m2 = domain::kMissing;  // MET Norway has no radiation
    series.days.push_back(w);
  }
  EXPECT_TRUE(coverage_warnings(series, day(1), day(3)).empty());
}

TEST(CoverageWarnings, HumidityFromAnyOfItsForms) {
  domain::WeatherSeries series;
  series.source = SourceId::nws;
  auto a = full_day(1);
  a.tdew_c = domain::kMissing;
  a.rh_mean_pct = 60.0;
  auto b = full_day(2);
  b.tdew_c = domain::kMissing;
  b.rh_max_pct = 90.0;  // without its minimum: not enough for FAO-56 Eq. 17
  series.days = {a, b};
  const auto warnings = coverage_warnings(series, day(1), day(2));
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0].code, "source_variable_missing");
  EXPECT_EQ(warnings[0].params[1],
            (std::pair<std::string, Warning::Value>{"variable", "humidity"}));
}

TEST(CoverageWarnings, DaysOutsideTheRangeDoNotCount) {
  domain::WeatherSeries series;
  series.source = SourceId::nasa_power;
  series.days = {full_day(1), full_day(2), full_day(3)};
  series.days[0].rs_mj_m2 = domain::kMissing;
  EXPECT_TRUE(coverage_warnings(series, day(2), day(3)).empty());
}

TEST(Warnings, EachHasAStableCodeAndAnEnglishSentence) {
  const Warning cases[] = {
      warning::over_sea(42.4),
      warning::elevation_below_sea_level(),
      warning::elevation_offline(),
      warning::elevation_unknown(),
      warning::source_failed(SourceId::nasa_power, "HTTP 500"),
      warning::source_no_data(SourceId::nws),
      warning::source_days_missing(SourceId::nasa_power, 1),
      warning::source_variable_missing(SourceId::nasa_power, "radiation", 2),
      warning::source_values_discarded(SourceId::met_norway, 4),
      warning::source_notice(SourceId::met_norway, "product deprecated (HTTP 203)"),
      warning::utc_offset_estimated("no time-zone index"),
  };
  for (const auto& w : cases) {
    EXPECT_FALSE(w.code.empty());
    EXPECT_EQ(w.code.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string::npos) << w.code;
    EXPECT_FALSE(w.message.empty()) << w.code;
  }
  EXPECT_NE(warning::over_sea(42.4).message.find("42 km from the nearest land"), std::string::npos);
  EXPECT_EQ(warning::source_failed(SourceId::nasa_power, "HTTP 500").message,
            "nasa_power failed: HTTP 500");
}

}  // namespace
}  // namespace evapo::pipeline
