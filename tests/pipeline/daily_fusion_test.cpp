#include <algorithm>
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include <evapo/core/daily_reference_et.hpp>
#include <evapo/pipeline/daily_fusion.hpp>

namespace evapo::pipeline {
namespace {

using domain::Date;
using domain::SourceId;
using domain::WeatherSeries;

Date d(const char* iso) {
  return *domain::parse_iso_date(iso);
}

// A plausible summer week at Piracicaba (22.7°S) in January.
WeatherSeries series_of(SourceId id, int days, double tmax_offset = 0.0) {
  WeatherSeries s;
  s.source = id;
  for (int i = 0; i < days; ++i) {
    domain::WeatherDay day;
    day.date = domain::add_days(d("2025-01-10"), i);
    day.tmax_c = 31.0 + tmax_offset + 0.3 * i;
    day.tmin_c = 20.0 + 0.1 * i;
    // Real weather never repeats itself for days on end (QC takes that for a stuck sensor).
    const double wobble = 0.1 * static_cast<double>(i % 3);
    day.rh_max_pct = 95.0 - wobble;
    day.rh_min_pct = 55.0 + wobble;
    day.wind_m_s = 2.0 + wobble;
    day.wind_height_m = 2.0;
    day.rs_mj_m2 = 22.0 + wobble;
    day.precip_mm = 4.0;
    s.days.push_back(day);
  }
  return s;
}

const core::Site kSite{-22.7, -47.6, 546.0, -3.0};

std::vector<DailyResult> run(const std::vector<WeatherSeries>& all, const char* start,
                             const char* end) {
  std::vector<PreparedSource> prepared;
  for (const auto& s : all)
    prepared.push_back(prepare_source(s, d(start), d(end), kSite.latitude_deg));
  const auto fused = fuse_sources(prepared, FusionSettings{});
  return compute_results(fused, kSite);
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(DailyFusion, TwoEqualSourcesGiveTheSourceValueAndHighQuality) {
  const auto results =
      run({series_of(SourceId::nasa_power, 7), series_of(SourceId::open_meteo_archive, 7)},
          "2025-01-10", "2025-01-16");
  ASSERT_EQ(results.size(), 7U);
  const auto single = run({series_of(SourceId::nasa_power, 7)}, "2025-01-10", "2025-01-16");
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    EXPECT_NEAR(r.tmax_c, 31.0 + 0.3 * static_cast<double>(i), 0.05) << i;
    // The ETo equals the engine's answer on the (identical) inputs.
    const auto direct = core::compute_daily(series_of(SourceId::nasa_power, 7).days[i], kSite);
    EXPECT_NEAR(r.eto_mm, direct.eto_mm, 0.02) << i;
    EXPECT_GT(r.eto_sd_mm, 0.0);
    // Two agreeing sources are more certain than one.
    EXPECT_LT(r.eto_sd_mm, single[i].eto_sd_mm) << i;
    EXPECT_EQ(r.quality, Quality::high) << i;
    EXPECT_EQ(r.sources.size(), 2U);
    EXPECT_NEAR(r.p_minus_eto_mm, 4.0 - r.eto_mm, 1e-9);
    EXPECT_EQ(single[i].quality, Quality::medium);
    EXPECT_TRUE(has(single[i].quality_reasons, "single_source"));
  }
}

TEST(DailyFusion, PublishedWeightsShiftTheFusedTemperature) {
  // NASA reads Tmax 32, the archive 30: the reanalysis priors give NASA 58 %: 31.16 on day 1.
  const auto results = run(
      {series_of(SourceId::nasa_power, 1, 1.0), series_of(SourceId::open_meteo_archive, 1, -1.0)},
      "2025-01-10", "2025-01-10");
  ASSERT_EQ(results.size(), 1U);
  EXPECT_NEAR(results[0].tmax_c, 0.58 * 32.0 + 0.42 * 30.0, 1e-9);
}

TEST(DailyFusion, SpikeInOneSourceIsDampedNotFollowed) {
  auto nasa = series_of(SourceId::nasa_power, 10);
  auto archive = series_of(SourceId::open_meteo_archive, 10);
  auto forecast = series_of(SourceId::open_meteo_forecast, 10);
  forecast.days[5].tmax_c = 45.0;  // a spike in one source
  const auto results = run({nasa, archive, forecast}, "2025-01-10", "2025-01-19");
  // The plain mean would be 4.2 °C high and the un-inflated prior weights 1.4 °C high; the
  // inflated ensemble stays within 1 °C of the agreeing sources.
  EXPECT_NEAR(results[5].tmax_c, nasa.days[5].tmax_c, 1.0);
  FusionSettings no_inflation;
  no_inflation.ensemble.outlier_sigma = 1e9;
  std::vector<PreparedSource> prepared;
  for (const auto& s : {nasa, archive, forecast}) {
    prepared.push_back(prepare_source(s, d("2025-01-10"), d("2025-01-19"), kSite.latitude_deg));
  }
  const auto naive = fuse_sources(prepared, no_inflation);
  EXPECT_LT(results[5].tmax_c - nasa.days[5].tmax_c,
            0.7 * (naive[5][core::Variable::tmax_c].value - nasa.days[5].tmax_c));
  EXPECT_NE(results[5].quality, Quality::high);
  EXPECT_TRUE(has(results[5].flags, "tmax_c_outlier_damped"));
}

TEST(DailyFusion, GapsInterpolatedPerSourceAndMissingRadiationFallsBack) {
  auto nasa = series_of(SourceId::nasa_power, 10);
  for (int i = 3; i <= 4; ++i) nasa.days[static_cast<std::size_t>(i)].tmax_c = domain::kMissing;
  for (auto& day : nasa.days) day.rs_mj_m2 = domain::kMissing;
  const auto results = run({nasa}, "2025-01-10", "2025-01-19");
  // On the line between days 2 and 5.
  EXPECT_NEAR(results[3].tmax_c, 31.9, 1e-9);
  EXPECT_TRUE(has(results[3].flags, "tmax_c_interpolated"));
  EXPECT_TRUE(has(results[3].flags, "rs_from_temperature"));
  EXPECT_EQ(results[3].quality, Quality::low);
  EXPECT_FALSE(domain::is_missing(results[3].eto_mm));
}

TEST(DailyFusion, ASharpRealChangeIsFollowedNotSmoothed) {
  // Sunny days at 28 MJ m-2 around one cloudy day at 9 and a cold front (Tmax 34 -> 22): both
  // sources say so, and the fused day is what they say, whatever the day before was.
  auto nasa = series_of(SourceId::nasa_power, 10);
  auto archive = series_of(SourceId::open_meteo_archive, 10);
  for (auto* s : {&nasa, &archive}) {
    for (auto& day : s->days) day.rs_mj_m2 = 28.0;
    s->days[4].rs_mj_m2 = 9.0;
    for (std::size_t i = 6; i < 10; ++i) s->days[i].tmax_c = 22.0;
  }
  archive.days[4].rs_mj_m2 = 9.4;
  const auto results = run({nasa, archive}, "2025-01-10", "2025-01-19");
  const double nasa_share = 0.92;  // the published weight of NASA POWER for Rs
  EXPECT_NEAR(results[4].rs_mj_m2, nasa_share * 9.0 + (1 - nasa_share) * 9.4, 1e-9);
  EXPECT_DOUBLE_EQ(results[5].rs_mj_m2, 28.0);
  EXPECT_DOUBLE_EQ(results[6].tmax_c, 22.0);
  EXPECT_FALSE(has(results[4].flags, "rs_mj_m2_outlier_damped"));
  EXPECT_EQ(results[4].quality, Quality::high);
}

TEST(DailyFusion, AnObservedValueOutweighsAnotherSourcesFill) {
  // Tmax alternates 33 / 29. NASA lacks day 4 (filled 29 from its neighbours); the archive saw
  // 35 that day. The fill carries the bridge variance q/2 = 8 °C² (q = 16, the squared daily
  // change), so the observation dominates: 33.7 where the plain priors would give 31.5.
  auto nasa = series_of(SourceId::nasa_power, 9);
  auto archive = series_of(SourceId::open_meteo_archive, 9);
  for (auto* s : {&nasa, &archive}) {
    for (std::size_t i = 0; i < 9; ++i) s->days[i].tmax_c = 31.0 + (i % 2 == 0 ? 2.0 : -2.0);
  }
  nasa.days[4].tmax_c = domain::kMissing;
  archive.days[4].tmax_c = 35.0;
  const auto results = run({nasa, archive}, "2025-01-10", "2025-01-18");
  EXPECT_NEAR(results[4].tmax_c, 33.73, 0.01);
  EXPECT_FALSE(has(results[4].flags, "tmax_c_interpolated"));  // the archive observed it
}

TEST(DailyFusion, DaysNoSourceHasStayMissing) {
  // The source covers 3 of 8 requested days; a 5-day hole is not invented.
  const auto results = run({series_of(SourceId::nasa_power, 3)}, "2025-01-10", "2025-01-17");
  ASSERT_EQ(results.size(), 8U);
  EXPECT_FALSE(domain::is_missing(results[2].eto_mm));
  for (std::size_t i = 3; i < 8; ++i) {
    EXPECT_TRUE(domain::is_missing(results[i].eto_mm)) << i;
    EXPECT_TRUE(domain::is_missing(results[i].tmax_c)) << i;
    EXPECT_EQ(results[i].quality, Quality::low);
    EXPECT_TRUE(results[i].sources.empty());
  }
}

TEST(DailyFusion, WindAt10mIsBroughtTo2m) {
  auto archive = series_of(SourceId::open_meteo_archive, 1);
  archive.days[0].wind_m_s = 4.0;
  archive.days[0].wind_height_m = 10.0;
  const auto results = run({archive}, "2025-01-10", "2025-01-10");
  EXPECT_NEAR(results[0].u2_m_s, 4.0 * 4.87 / std::log(67.8 * 10.0 - 5.42), 1e-9);
}

TEST(DailyFusion, UpstreamEtoIsOnlyAComparisonColumn) {
  auto archive = series_of(SourceId::open_meteo_archive, 1);
  archive.days[0].upstream_eto_mm = 9.9;
  const auto results = run({archive}, "2025-01-10", "2025-01-10");
  EXPECT_DOUBLE_EQ(results[0].upstream_eto_mm, 9.9);
  EXPECT_LT(results[0].eto_mm, 9.0);
  const auto nasa_only = run({series_of(SourceId::nasa_power, 1)}, "2025-01-10", "2025-01-10");
  EXPECT_TRUE(domain::is_missing(nasa_only[0].upstream_eto_mm));
}

}  // namespace
}  // namespace evapo::pipeline
