#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/core/quality_control.hpp>

namespace evapo::core {
namespace {

using domain::WeatherDay;

std::vector<WeatherDay> days_from(const char* first, int count) {
  std::vector<WeatherDay> days(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    days[static_cast<std::size_t>(i)].date = domain::add_days(*domain::parse_iso_date(first), i);
  }
  return days;
}

TEST(WindAt2m, Fao56Eq47) {
  // FAO-56 Example 14: 3.2 m/s at 10 m -> 2.4 m/s at 2 m (factor 0.748).
  EXPECT_NEAR(wind_at_2m(3.2, 10.0), 2.4, 0.01);
  EXPECT_NEAR(wind_at_2m(1.0, 10.0), 0.748, 0.001);
  EXPECT_DOUBLE_EQ(wind_at_2m(3.2, 2.0), 3.2);
}

TEST(ExtraterrestrialRadiation, Fao56Examples) {
  // Example 8: 20°S, 3 September (J = 246): Ra = 32.2 MJ m-2 d-1.
  EXPECT_NEAR(extraterrestrial_radiation_mj_m2(-20.0, 246), 32.2, 0.05);
  // Polar night at 80°N in December: no sun.
  EXPECT_DOUBLE_EQ(extraterrestrial_radiation_mj_m2(80.0, 355), 0.0);
}

TEST(CleanSourceDays, PhysicalLimitsTable) {
  struct Case {
    Variable v;
    double value;
    bool kept;
  };
  const Case cases[] = {
      {Variable::tmax_c, 60.0, false},      {Variable::tmax_c, 59.9, true},
      {Variable::tmin_c, -90.0, false},     {Variable::tdew_c, -89.0, true},
      {Variable::rh_mean_pct, 100.0, true}, {Variable::rh_mean_pct, 100.1, false},
      {Variable::rh_max_pct, -0.1, false},  {Variable::u2_m_s, 0.0, true},
      {Variable::u2_m_s, 113.0, false},     {Variable::precip_mm, 2000.0, false},
      {Variable::precip_mm, -1.0, false},   {Variable::precip_mm, 0.0, true},
  };
  for (const auto& c : cases) {
    auto days = days_from("2026-06-01", 1);
    value_of(days[0], c.v) = c.value;
    const auto report = clean_source_days(days, 0.0);
    EXPECT_EQ(!domain::is_missing(value_of(days[0], c.v)), c.kept)
        << to_string(c.v) << " = " << c.value;
    EXPECT_EQ((report.days[0].rejected & bit_of(c.v)) != 0, !c.kept) << to_string(c.v);
  }
}

TEST(CleanSourceDays, InconsistentPairsAndRadiationBounds) {
  auto days = days_from("2026-09-03", 4);  // J = 246
  days[0].tmax_c = 10.0;
  days[0].tmin_c = 12.0;  // Tmax < Tmin: both rejected
  days[1].rh_max_pct = 60.0;
  days[1].rh_min_pct = 70.0;  // RHmin > RHmax: both rejected
  days[2].rs_mj_m2 = 33.0;    // above Ra = 32.2 at 20°S
  days[3].rs_mj_m2 = 0.5;     // below 0.03 Ra = 0.97
  QcOptions no_interpolation;
  no_interpolation.max_gap_days = 0;
  const auto report = clean_source_days(days, -20.0, no_interpolation);
  EXPECT_TRUE(domain::is_missing(days[0].tmax_c));
  EXPECT_TRUE(domain::is_missing(days[0].tmin_c));
  EXPECT_TRUE(domain::is_missing(days[1].rh_max_pct));
  EXPECT_TRUE(domain::is_missing(days[2].rs_mj_m2));
  EXPECT_TRUE(domain::is_missing(days[3].rs_mj_m2));
  EXPECT_EQ(report.rejected_values, 6);
  auto ok = days_from("2026-09-03", 1);
  ok[0].rs_mj_m2 = 22.0;
  clean_source_days(ok, -20.0);
  EXPECT_DOUBLE_EQ(ok[0].rs_mj_m2, 22.0);
}

TEST(CleanSourceDays, WindBroughtTo2mBeforeLimits) {
  auto days = days_from("2026-06-01", 1);
  days[0].wind_m_s = 5.0;
  days[0].wind_height_m = 10.0;
  clean_source_days(days, 45.0);
  EXPECT_NEAR(days[0].wind_m_s, 5.0 * 0.748, 0.005);
  EXPECT_DOUBLE_EQ(days[0].wind_height_m, 2.0);
}

TEST(CleanSourceDays, GapsOfAtMostThreeDaysInterpolatedAndFlagged) {
  // Tmax: 10, _, _, _, 18 (gap 3: filled 12, 14, 16); then 20, _, _, _, _, 30 (gap 4: kept).
  const double nan = domain::kMissing;
  const std::vector<double> tmax = {10, nan, nan, nan, 18, 20, nan, nan, nan, nan, 30, nan};
  auto days = days_from("2026-06-01", static_cast<int>(tmax.size()));
  for (std::size_t i = 0; i < tmax.size(); ++i) {
    days[i].tmax_c = tmax[i];
    days[i].precip_mm = i == 0 || i == 4 ? 1.0 : nan;
  }
  const auto report = clean_source_days(days, 45.0);
  EXPECT_DOUBLE_EQ(days[1].tmax_c, 12.0);
  EXPECT_DOUBLE_EQ(days[2].tmax_c, 14.0);
  EXPECT_DOUBLE_EQ(days[3].tmax_c, 16.0);
  for (std::size_t i : {6U, 7U, 8U, 9U, 11U}) {
    EXPECT_TRUE(domain::is_missing(days[i].tmax_c)) << i;
  }
  EXPECT_EQ(report.interpolated_values, 3);
  EXPECT_EQ(report.days[2].interpolated, bit_of(Variable::tmax_c));
  EXPECT_EQ(report.days[0].interpolated, 0U);
  EXPECT_TRUE(domain::is_missing(days[2].precip_mm));  // rain is never interpolated
  // Brownian bridge: q = mean squared change of the observed neighbours (18 -> 20: 4),
  // q·d1·d2/(d1+d2) = 4·1·3/4, 4·2·2/4, 4·3·1/4.
  const auto t = static_cast<std::size_t>(index_of(Variable::tmax_c));
  EXPECT_DOUBLE_EQ(report.days[1].fill_variance[t], 3.0);
  EXPECT_DOUBLE_EQ(report.days[2].fill_variance[t], 4.0);
  EXPECT_DOUBLE_EQ(report.days[3].fill_variance[t], 3.0);
  EXPECT_DOUBLE_EQ(report.days[4].fill_variance[t], 0.0);
}

TEST(CleanSourceDays, RadiationFarAboveClearSkyIsRejected) {
  // 20°S, J = 246: Ra = 32.2, Rso at sea level (FAO-56 Eq. 37) 24.2, limit Rso + 5 = 29.2.
  auto days = days_from("2026-09-03", 3);
  days[0].rs_mj_m2 = 25.0;  // a clear day a little above Rso: real (kept)
  days[1].rs_mj_m2 = 30.0;  // more than two errors above clear sky, yet below Ra
  QcOptions no_fill;
  no_fill.max_gap_days = 0;
  auto report = clean_source_days(days, -20.0, no_fill);
  EXPECT_DOUBLE_EQ(days[0].rs_mj_m2, 25.0);
  EXPECT_TRUE(domain::is_missing(days[1].rs_mj_m2));
  EXPECT_EQ(report.days[1].rejected, bit_of(Variable::rs_mj_m2));
  // At 3000 m, Rso = 0.81 Ra = 26.1: 30 is within its margin.
  auto high = days_from("2026-09-03", 1);
  high[0].rs_mj_m2 = 30.0;
  no_fill.elevation_m = 3000.0;
  clean_source_days(high, -20.0, no_fill);
  EXPECT_DOUBLE_EQ(high[0].rs_mj_m2, 30.0);
}

TEST(CleanSourceDays, StuckValuesAreRejectedAndFilledWhereTheGapIsShort) {
  // Wind stuck at 2.4 for 7 days (a frozen anemometer), Tmax repeating only 6 times (real),
  // RHmax saturated at 100 % for 11 days (real), a polar-night Rs of 0 (real).
  auto days = days_from("2026-06-01", 11);
  const double wind[] = {3.1, 2.4, 2.4, 2.4, 2.4, 2.4, 2.4, 2.4, 2.9, 3.3, 3.0};
  const double tmax[] = {20, 21, 21, 21, 21, 21, 21, 22, 23, 22, 21};
  for (std::size_t i = 0; i < days.size(); ++i) {
    days[i].wind_m_s = wind[i];
    days[i].wind_height_m = 2.0;
    days[i].tmax_c = tmax[i];
    days[i].rh_max_pct = 100.0;
  }
  QcOptions options;
  options.max_gap_days = 0;
  const auto report = clean_source_days(days, 45.0, options);
  for (std::size_t i = 1; i <= 7; ++i) EXPECT_TRUE(domain::is_missing(days[i].wind_m_s)) << i;
  EXPECT_DOUBLE_EQ(days[0].wind_m_s, 3.1);
  EXPECT_DOUBLE_EQ(days[8].wind_m_s, 2.9);
  EXPECT_EQ(report.stuck_values, 7);
  for (std::size_t i = 0; i < days.size(); ++i) {
    EXPECT_FALSE(domain::is_missing(days[i].tmax_c)) << i;
    EXPECT_DOUBLE_EQ(days[i].rh_max_pct, 100.0) << i;
  }
  auto polar = days_from("2026-12-10", 8);
  for (auto& day : polar) day.rs_mj_m2 = 0.0;
  clean_source_days(polar, 80.0);
  for (const auto& day : polar) EXPECT_DOUBLE_EQ(day.rs_mj_m2, 0.0);
}

}  // namespace
}  // namespace evapo::core
