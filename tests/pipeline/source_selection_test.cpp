#include <algorithm>

#include <gtest/gtest.h>

#include <evapo/pipeline/source_selection.hpp>

namespace evapo::pipeline {
namespace {

using domain::Date;
using domain::SourceId;

Date d(const char* iso) {
  return *domain::parse_iso_date(iso);
}

const SourcePlan* plan_of(const SourceSelection& s, SourceId id) {
  for (const auto& p : s.plans) {
    if (p.source == id) return &p;
  }
  return nullptr;
}

std::string skip_reason(const SourceSelection& s, SourceId id) {
  for (const auto& k : s.skipped) {
    if (k.source == id) return k.reason;
  }
  return "";
}

CalculationRequest req(Mode mode, const char* start, const char* end, double lat, double lon) {
  CalculationRequest r;
  r.latitude_deg = lat;
  r.longitude_deg = lon;
  r.mode = mode;
  r.start_date = d(start);
  r.end_date = d(end);
  return r;
}

const Date kToday = d("2026-11-26");

TEST(SelectSources, HistoricalUsesTheReanalyses) {
  const auto s =
      select_sources(req(Mode::historical, "2025-01-01", "2025-12-31", -22.7, -47.6), kToday, {});
  ASSERT_NE(plan_of(s, SourceId::nasa_power), nullptr);
  ASSERT_NE(plan_of(s, SourceId::open_meteo_archive), nullptr);
  EXPECT_EQ(plan_of(s, SourceId::open_meteo_forecast), nullptr);
  EXPECT_EQ(plan_of(s, SourceId::met_norway), nullptr);
  EXPECT_EQ(skip_reason(s, SourceId::nws), "NWS covers only the USA");
  EXPECT_EQ(plan_of(s, SourceId::nasa_power)->start_date, d("2025-01-01"));
  EXPECT_EQ(plan_of(s, SourceId::nasa_power)->end_date, d("2025-12-31"));
}

TEST(SelectSources, RecentAddsForecastForTheArchiveLag) {
  const auto s =
      select_sources(req(Mode::recent, "2026-10-28", "2026-11-26", 40.7, -74.0), kToday, {});
  const auto* archive = plan_of(s, SourceId::open_meteo_archive);
  const auto* forecast = plan_of(s, SourceId::open_meteo_forecast);
  ASSERT_NE(archive, nullptr);
  ASSERT_NE(forecast, nullptr);
  EXPECT_EQ(archive->end_date, d("2026-11-25"));  // the archive has nothing for today
  EXPECT_EQ(forecast->start_date, d("2026-11-19"));
  EXPECT_EQ(forecast->end_date, kToday);
  EXPECT_EQ(plan_of(s, SourceId::nws), nullptr);  // forecast-only, even inside the USA
}

TEST(SelectSources, ForecastByRegion) {
  const auto usa =
      select_sources(req(Mode::forecast, "2026-11-26", "2026-12-01", 40.7, -74.0), kToday, {});
  EXPECT_NE(plan_of(usa, SourceId::nws), nullptr);
  EXPECT_NE(plan_of(usa, SourceId::met_norway), nullptr);
  EXPECT_NE(plan_of(usa, SourceId::open_meteo_forecast), nullptr);
  EXPECT_EQ(plan_of(usa, SourceId::nasa_power), nullptr);
  EXPECT_EQ(plan_of(usa, SourceId::open_meteo_archive), nullptr);
  const auto brazil =
      select_sources(req(Mode::forecast, "2026-11-26", "2026-12-01", -22.7, -47.6), kToday, {});
  EXPECT_EQ(plan_of(brazil, SourceId::nws), nullptr);
  EXPECT_NE(plan_of(brazil, SourceId::met_norway), nullptr);
}

TEST(SelectSources, RequestedAndEnabledFilters) {
  auto r = req(Mode::historical, "2025-01-01", "2025-01-31", -22.7, -47.6);
  r.sources = {SourceId::nasa_power};
  const auto only_nasa = select_sources(r, kToday, {});
  ASSERT_EQ(only_nasa.plans.size(), 1U);
  EXPECT_EQ(skip_reason(only_nasa, SourceId::open_meteo_archive), "not requested");
  sources::SourcesConfig config;
  config.enabled_sources = {SourceId::open_meteo_archive};
  const auto disabled = select_sources(r, kToday, config);
  EXPECT_TRUE(disabled.plans.empty());
  EXPECT_EQ(skip_reason(disabled, SourceId::nasa_power), "disabled by EVAPO_SOURCES");
}

TEST(RegionBoxes, UsaAndNordic) {
  EXPECT_TRUE(in_usa_box(40.7, -74.0));
  EXPECT_FALSE(in_usa_box(19.4, -99.1));  // Mexico City
  EXPECT_TRUE(in_nordic_box(59.9, 10.75));
  EXPECT_FALSE(in_nordic_box(48.9, 2.35));  // Paris
}

}  // namespace
}  // namespace evapo::pipeline
