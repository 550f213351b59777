#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include <evapo/pipeline/calculation.hpp>

namespace evapo::pipeline {
namespace {

using domain::Date;

Date d(const char* iso) {
  return *domain::parse_iso_date(iso);
}

bool has_field(const std::vector<domain::ErrorDetail>& details, const std::string& field) {
  return std::any_of(details.begin(), details.end(),
                     [&](const domain::ErrorDetail& e) { return e.field == field; });
}

CalculationRequest req(Mode mode, const char* start, const char* end, double lat = -22.7,
                       double lon = -47.6) {
  CalculationRequest r;
  r.latitude_deg = lat;
  r.longitude_deg = lon;
  r.mode = mode;
  r.start_date = d(start);
  r.end_date = d(end);
  return r;
}

TEST(Validate, ModeAndDateRulesTable) {
  const Date today = d("2026-11-26");
  struct Case {
    const char* name;
    CalculationRequest request;
    const char* bad_field;  // nullptr: valid
  };
  CalculationRequest bad_lat = req(Mode::historical, "2020-01-01", "2020-01-31", 91.0);
  CalculationRequest bad_lon = req(Mode::historical, "2020-01-01", "2020-01-31", 0.0, -180.5);
  CalculationRequest bad_elevation = req(Mode::historical, "2020-01-01", "2020-01-31");
  bad_elevation.elevation_m = 9500.0;
  CalculationRequest sea = req(Mode::historical, "2020-01-01", "2020-01-31", 0.0, -30.0);
  CalculationRequest pole = req(Mode::historical, "2020-01-01", "2020-01-31", 90.0, 180.0);
  const Case cases[] = {
      {"historical ok", req(Mode::historical, "2025-01-01", "2025-12-31"), nullptr},
      {"historical 366 days", req(Mode::historical, "2024-01-01", "2024-12-31"), nullptr},
      {"historical 367 days", req(Mode::historical, "2024-01-01", "2025-01-01"), "end_date"},
      {"historical first day", req(Mode::historical, "1990-01-01", "1990-01-10"), nullptr},
      {"historical before 1990", req(Mode::historical, "1989-12-31", "1990-01-10"), "start_date"},
      {"historical ends yesterday", req(Mode::historical, "2026-11-01", "2026-11-25"), nullptr},
      {"historical ends today", req(Mode::historical, "2026-11-01", "2026-11-26"), "end_date"},
      {"end before start", req(Mode::historical, "2026-01-10", "2026-01-01"), "end_date"},
      {"recent 7", req(Mode::recent, "2026-11-20", "2026-11-26"), nullptr},
      {"recent 30", req(Mode::recent, "2026-10-28", "2026-11-26"), nullptr},
      {"recent 10", req(Mode::recent, "2026-11-17", "2026-11-26"), "start_date"},
      {"recent not ending today", req(Mode::recent, "2026-11-01", "2026-11-07"), "end_date"},
      {"forecast ok", req(Mode::forecast, "2026-11-26", "2026-12-01"), nullptr},
      {"forecast 3 days", req(Mode::forecast, "2026-11-26", "2026-11-28"), nullptr},
      {"forecast too long", req(Mode::forecast, "2026-11-26", "2026-12-05"), "end_date"},
      {"forecast in the past", req(Mode::forecast, "2026-11-20", "2026-11-25"), "start_date"},
      {"latitude", bad_lat, "latitude"},
      {"longitude", bad_lon, "longitude"},
      {"elevation", bad_elevation, "elevation_m"},
      {"over the sea is accepted", sea, nullptr},
      {"pole and antimeridian accepted", pole, nullptr},
  };
  for (const auto& c : cases) {
    const auto details = validate(c.request, today);
    if (c.bad_field == nullptr) {
      EXPECT_TRUE(details.empty()) << c.name << ": " << (details.empty() ? "" : details[0].reason);
    } else {
      EXPECT_TRUE(has_field(details, c.bad_field)) << c.name;
    }
  }
}

TEST(Validate, MaxSpanIsConfigurable) {
  RequestLimits limits;
  limits.max_historical_days = 30;
  EXPECT_TRUE(has_field(
      validate(req(Mode::historical, "2025-01-01", "2025-01-31"), d("2026-11-26"), limits),
      "end_date"));
  EXPECT_TRUE(
      validate(req(Mode::historical, "2025-01-01", "2025-01-30"), d("2026-11-26"), limits).empty());
}

TEST(RequestForMode, RecentAndForecastWindows) {
  const Date today = d("2026-11-26");
  const auto recent = request_for_mode(1.0, 2.0, Mode::recent, 14, today);
  EXPECT_EQ(recent.start_date, d("2026-11-13"));
  EXPECT_EQ(recent.end_date, today);
  EXPECT_TRUE(validate(recent, today).empty());
  const auto forecast = request_for_mode(1.0, 2.0, Mode::forecast, 0, today);
  EXPECT_EQ(forecast.start_date, today);
  EXPECT_EQ(forecast.end_date, d("2026-12-01"));
  EXPECT_TRUE(validate(forecast, today).empty());
}

std::chrono::system_clock::time_point utc(const char* date, int hours, int minutes = 0) {
  return std::chrono::sys_days{d(date)} + std::chrono::hours(hours) + std::chrono::minutes(minutes);
}

// "Today" is the day in the point's own zone, daylight saving included. At each of these instants
// the longitude's estimate round(lon / 15) h gives another day.
TEST(LocalToday, InThePointsTimeZone) {
  struct Case {
    const char* place;
    double lat, lon;
    std::chrono::system_clock::time_point now;
    const char* today;
  };
  const Case cases[] = {
      // Sydney, AEDT (UTC+11 in November; the longitude says +10): 13:30 UTC is 00:30 the next day.
      {"Sydney", -33.87, 151.21, utc("2026-11-26", 13, 30), "2026-11-27"},
      // Kashgar keeps Beijing time, UTC+8 (the longitude says +5).
      {"Kashgar", 39.47, 75.99, utc("2026-11-26", 17, 30), "2026-11-27"},
      // Vigo keeps Madrid's CEST in July, UTC+2 (the longitude says -1).
      {"Vigo", 42.24, -8.72, utc("2026-07-10", 22, 30), "2026-07-11"},
      // Mendoza keeps Argentina's UTC-3 (the longitude says -5).
      {"Mendoza", -32.89, -68.83, utc("2026-07-10", 4, 0), "2026-07-10"},
      // Los Angeles, PDT (UTC-7; the longitude says -8): 07:30 UTC is 00:30.
      {"Los Angeles", 34.05, -118.24, utc("2026-07-10", 7, 30), "2026-07-10"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(domain::format_iso_date(local_today(c.lat, c.lon, c.now)), c.today) << c.place;
    EXPECT_NE(domain::TimeZone::from_longitude(c.lon).local_date(c.now), d(c.today)) << c.place;
  }
}

TEST(LocalToday, PointTimeZoneNamesTheZoneOrSaysWhyItEstimates) {
  const auto kashgar = point_time_zone(39.47, 75.99);
  EXPECT_EQ(kashgar.zone.name(), "Asia/Shanghai");
  EXPECT_FALSE(kashgar.warning.has_value());
  const auto missing = point_time_zone(39.47, 75.99, "/nonexistent/time_zones.bin");
  EXPECT_EQ(missing.zone.name(), "Etc/GMT-5");
  EXPECT_EQ(missing.zone.source(), domain::TimeZoneSource::longitude);
  ASSERT_TRUE(missing.warning.has_value());
  EXPECT_EQ(missing.warning->code, "utc_offset_estimated");
  EXPECT_NE(missing.warning->message.find("estimated from the longitude"), std::string::npos);
  EXPECT_NE(missing.warning->message.find("/nonexistent/time_zones.bin"), std::string::npos);
}

TEST(ModeNames, RoundTrip) {
  for (Mode m : {Mode::historical, Mode::recent, Mode::forecast}) {
    EXPECT_EQ(parse_mode(to_string(m)), m);
  }
  EXPECT_FALSE(parse_mode("daily").has_value());
}

}  // namespace
}  // namespace evapo::pipeline
