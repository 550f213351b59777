#include <cmath>

#include <gtest/gtest.h>

#include <evapo/core/hourly_to_daily.hpp>

namespace evapo::core {
namespace {

constexpr std::int64_t kDay20240101 = 19723LL * 86400;  // 2024-01-01T00:00Z

domain::TimeZone utc_plus(int offset_s) {
  return domain::TimeZone::fixed("fixed", domain::TimeZoneSource::boundary, offset_s);
}
const domain::TimeZone kUtc = utc_plus(0);

domain::Date jan(unsigned d) {
  return domain::Date{std::chrono::year{2024}, std::chrono::January, std::chrono::day{d}};
}

TEST(HourlyToDaily, TwentyFourHoursGiveExtremesMeansAndSums) {
  HourlyTable table;
  for (int h = 0; h < 24; ++h) {
    const std::int64_t t = kDay20240101 + h * 3600;
    table.set(t, HourlyVariable::temp_c, h);          // 0..23
    table.set(t, HourlyVariable::rh_pct, 100.0 - h);  // 100..77
    table.set(t, HourlyVariable::wind_m_s, h % 2 == 0 ? 1.0 : 3.0);
    table.set(t, HourlyVariable::rs_w_m2, 100.0);
    table.set(t, HourlyVariable::precip_mm, h < 4 ? 0.5 : 0.0);
  }
  const auto days = table.to_local_days(kUtc, 10.0);
  ASSERT_EQ(days.size(), 1U);
  const auto& d = days[0];
  EXPECT_EQ(d.date, jan(1));
  EXPECT_DOUBLE_EQ(d.tmax_c, 23.0);
  EXPECT_DOUBLE_EQ(d.tmin_c, 0.0);
  EXPECT_DOUBLE_EQ(d.tmean_c, 11.5);
  EXPECT_DOUBLE_EQ(d.rh_max_pct, 100.0);
  EXPECT_DOUBLE_EQ(d.rh_min_pct, 77.0);
  EXPECT_DOUBLE_EQ(d.rh_mean_pct, 88.5);
  EXPECT_DOUBLE_EQ(d.wind_m_s, 2.0);
  EXPECT_DOUBLE_EQ(d.wind_height_m, 10.0);
  EXPECT_NEAR(d.rs_mj_m2, 24 * 100.0 * 3600 / 1e6, 1e-12);  // 8.64 MJ m-2
  EXPECT_DOUBLE_EQ(d.precip_mm, 2.0);
  EXPECT_TRUE(std::isnan(d.tdew_c));
}

TEST(HourlyToDaily, UtcOffsetMovesHoursToTheLocalDay) {
  HourlyTable table;
  // 48 UTC hours on 2024-01-01/02 with temperature = UTC hour index.
  for (int h = 0; h < 48; ++h) table.set(kDay20240101 + h * 3600, HourlyVariable::temp_c, h);
  // UTC-3: local 2024-01-01 is UTC 03:00 .. 26:59, so hours 3..26.
  const auto days =
      table.to_local_days(utc_plus(-3 * 3600), 2.0, {.min_hours_level = 1, .min_hours_sum = 24});
  ASSERT_EQ(days.size(), 3U);  // 2023-12-31 (3 h), 2024-01-01 (24 h), 2024-01-02 (21 h)
  EXPECT_EQ(days[1].date, jan(1));
  EXPECT_DOUBLE_EQ(days[1].tmin_c, 3.0);
  EXPECT_DOUBLE_EQ(days[1].tmax_c, 26.0);
  EXPECT_DOUBLE_EQ(days[0].tmax_c, 2.0);
}

TEST(HourlyToDaily, IntervalsExpandToHoursLevelsRepeatAmountsSplit) {
  HourlyTable table;
  // NWS-style: 20 °C for PT6H from 00Z, then 10 °C for PT18H; 12 mm over PT6H.
  table.add_interval(HourlyVariable::temp_c, {kDay20240101, 6 * 3600, 20.0}, IntervalKind::level);
  table.add_interval(HourlyVariable::temp_c, {kDay20240101 + 6 * 3600, 18 * 3600, 10.0},
                     IntervalKind::level);
  for (int block = 0; block < 4; ++block) {
    table.add_interval(HourlyVariable::precip_mm,
                       {kDay20240101 + block * 6 * 3600, 6 * 3600, block == 0 ? 12.0 : 0.0},
                       IntervalKind::amount);
  }
  EXPECT_EQ(table.size(), 24U);
  const auto days = table.to_local_days(kUtc, 10.0);
  ASSERT_EQ(days.size(), 1U);
  EXPECT_DOUBLE_EQ(days[0].tmax_c, 20.0);
  EXPECT_DOUBLE_EQ(days[0].tmin_c, 10.0);
  EXPECT_DOUBLE_EQ(days[0].tmean_c, (6 * 20.0 + 18 * 10.0) / 24.0);
  EXPECT_DOUBLE_EQ(days[0].precip_mm, 12.0);
}

TEST(HourlyToDaily, ExtremeWindowCountsForTheDayOfItsMiddle) {
  HourlyTable table;
  for (int h = 0; h < 48; ++h) table.set(kDay20240101 + h * 3600, HourlyVariable::temp_c, 10.0);
  // A 19:00-09:00 overnight minimum (14 h) starting on day 1: its middle (02:00) is on day 2.
  table.add_interval(HourlyVariable::temp_min_c, {kDay20240101 + 19 * 3600, 14 * 3600, -5.0},
                     IntervalKind::extreme);
  const auto days = table.to_local_days(kUtc, 10.0);
  ASSERT_EQ(days.size(), 2U);
  EXPECT_DOUBLE_EQ(days[0].tmin_c, 10.0);
  EXPECT_DOUBLE_EQ(days[1].tmin_c, -5.0);
}

TEST(HourlyToDaily, PartialCoverageLeavesStatisticsMissing) {
  HourlyTable table;
  for (int h = 0; h < 12; ++h) {
    table.set(kDay20240101 + h * 3600, HourlyVariable::temp_c, 5.0);
    table.set(kDay20240101 + h * 3600, HourlyVariable::precip_mm, 1.0);
  }
  const auto days = table.to_local_days(kUtc, 10.0);  // defaults: 18 h for levels, 24 h for sums
  ASSERT_EQ(days.size(), 1U);
  EXPECT_TRUE(std::isnan(days[0].tmax_c));
  EXPECT_TRUE(std::isnan(days[0].tmean_c));
  EXPECT_TRUE(std::isnan(days[0].precip_mm));
  const auto lenient =
      table.to_local_days(kUtc, 10.0, {.min_hours_level = 12, .min_hours_sum = 12});
  EXPECT_DOUBLE_EQ(lenient[0].tmax_c, 5.0);
  EXPECT_DOUBLE_EQ(lenient[0].precip_mm, 12.0);
}

TEST(HourlyToDaily, NanValuesAndEmptyIntervalsAreIgnored) {
  HourlyTable table;
  table.set(kDay20240101, HourlyVariable::temp_c, domain::kMissing);
  table.add_interval(HourlyVariable::temp_c, {kDay20240101, 0, 3.0}, IntervalKind::level);
  EXPECT_EQ(table.size(), 0U);
  EXPECT_TRUE(table.to_local_days(kUtc, 2.0).empty());
}

}  // namespace
}  // namespace evapo::core
