#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include <evapo/sources/time_zone_database.hpp>
#include <evapo/sources/time_zone_lookup.hpp>

#include "fixture_path.hpp"

namespace evapo::sources {
namespace {

using domain::TimeZoneSource;
using test::day;

std::int64_t utc_s(domain::Date date, int hour) {
  return std::chrono::sys_days{date}.time_since_epoch().count() * 86400 + hour * 3600;
}

// Points where the zone and the longitude's round(lon / 15) h disagree, and a few where they
// agree, against the index shipped in share/evapo and the system tz database.
TEST(TimeZoneLookup, ZonesOfPointsWhereTheLongitudeIsWrong) {
  const struct {
    const char* place;
    double lat, lon;
    const char* zone;
    TimeZoneSource source;
  } cases[] = {
      {"Kashgar (Xinjiang: Beijing time, +8; lon +5)", 39.47, 75.99, "Asia/Shanghai",
       TimeZoneSource::boundary},
      {"Urumqi (Xinjiang)", 43.83, 87.62, "Asia/Shanghai", TimeZoneSource::boundary},
      {"Vigo (+1/+2; lon -1)", 42.24, -8.72, "Europe/Madrid", TimeZoneSource::boundary},
      {"Mendoza (-3; lon -5)", -32.89, -68.83, "America/Argentina/Mendoza",
       TimeZoneSource::boundary},
      {"Buenos Aires (-3; lon -4)", -34.60, -58.38, "America/Argentina/Buenos_Aires",
       TimeZoneSource::boundary},
      {"Ushuaia (-3; lon -4)", -54.80, -68.30, "America/Argentina/Ushuaia",
       TimeZoneSource::boundary},
      {"Piracicaba", -22.7, -47.6, "America/Sao_Paulo", TimeZoneSource::boundary},
      {"Brasilia", -15.79, -47.88, "America/Sao_Paulo", TimeZoneSource::boundary},
      {"Manaus (-4)", -3.10, -60.02, "America/Manaus", TimeZoneSource::boundary},
      {"New York", 40.71, -74.0, "America/New_York", TimeZoneSource::boundary},
      {"Fallon, Nevada", 39.4575, -118.7767, "America/Los_Angeles", TimeZoneSource::boundary},
      {"Phoenix (no DST)", 33.45, -112.07, "America/Phoenix", TimeZoneSource::boundary},
      {"Sydney", -33.87, 151.21, "Australia/Sydney", TimeZoneSource::boundary},
      {"Kathmandu (+5:45)", 27.71, 85.32, "Asia/Kathmandu", TimeZoneSource::boundary},
      {"mid-Atlantic", 0.0, -30.0, "Etc/GMT+2", TimeZoneSource::nautical},
      {"South Pacific", -12.5, -130.8, "Etc/GMT+9", TimeZoneSource::nautical},
      {"Indian Ocean", -30.0, 80.0, "Etc/GMT-5", TimeZoneSource::nautical},
  };
  for (const auto& c : cases) {
    const auto zone = locate_time_zone(c.lat, c.lon, "");
    ASSERT_TRUE(zone) << c.place << ": " << zone.error().message;
    EXPECT_EQ(zone->name(), c.zone) << c.place;
    EXPECT_EQ(zone->source(), c.source) << c.place;
  }
}

TEST(TimeZoneLookup, OffsetsComeFromTheTzDatabaseWithDaylightSaving) {
  const struct {
    const char* zone;
    domain::Date date;
    int offset_h;
  } cases[] = {
      {"America/Sao_Paulo", day(2018, 12, 1), -2},  // Brazil's last DST summer
      {"America/Sao_Paulo", day(2019, 12, 1), -3},  // DST abolished in 2019
      {"America/New_York", day(2024, 1, 15), -5},
      {"America/New_York", day(2024, 7, 15), -4},
      {"Europe/Madrid", day(2024, 1, 15), 1},
      {"Europe/Madrid", day(2024, 7, 15), 2},
      {"Asia/Shanghai", day(2024, 7, 15), 8},
      {"America/Argentina/Mendoza", day(2024, 7, 15), -3},
      {"Etc/GMT+3", day(2024, 7, 15), -3},
  };
  for (const auto& c : cases) {
    const auto zone = load_time_zone(c.zone, TimeZoneSource::boundary);
    ASSERT_TRUE(zone) << c.zone << ": " << zone.error().message;
    EXPECT_EQ(zone->utc_offset_s(utc_s(c.date, 12)), c.offset_h * 3600) << c.zone;
  }
  const auto kathmandu = load_time_zone("Asia/Kathmandu", TimeZoneSource::boundary);
  ASSERT_TRUE(kathmandu);
  EXPECT_EQ(kathmandu->utc_offset_s(utc_s(day(2024, 7, 15), 12)), 5 * 3600 + 45 * 60);
  EXPECT_EQ(time_zone_abbreviation("America/Sao_Paulo", utc_s(day(2024, 7, 15), 12)), "-03");
  EXPECT_EQ(time_zone_abbreviation("Europe/Madrid", utc_s(day(2024, 7, 15), 12)), "CEST");
}

TEST(TimeZoneLookup, DaylightSavingChangeDaysHave23Or25Hours) {
  const auto sao_paulo = load_time_zone("America/Sao_Paulo", TimeZoneSource::boundary);
  const auto new_york = load_time_zone("America/New_York", TimeZoneSource::boundary);
  ASSERT_TRUE(sao_paulo && new_york);
  EXPECT_EQ(sao_paulo->hours_in_day(day(2018, 11, 4)), 23);
  EXPECT_EQ(sao_paulo->hours_in_day(day(2019, 2, 16)), 25);
  EXPECT_EQ(sao_paulo->hours_in_day(day(2019, 11, 3)), 24);  // no DST any more
  EXPECT_EQ(new_york->hours_in_day(day(2024, 3, 10)), 23);
  EXPECT_EQ(new_york->hours_in_day(day(2024, 11, 3)), 25);
}

TEST(TimeZoneLookup, UnknownZoneIsNotFound) {
  const auto zone = load_time_zone("Mars/Olympus_Mons", TimeZoneSource::boundary);
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().code, domain::ErrorCode::not_found);
  EXPECT_EQ(time_zone_abbreviation("Mars/Olympus_Mons", 0), "");
}

TEST(TimeZoneLookup, ShippedIndexSaysWhereItComesFrom) {
  const auto index = shared_time_zone_index("");
  ASSERT_TRUE(index) << index.error().message;
  EXPECT_GT((*index)->zone_count(), 250U);
  EXPECT_NE((*index)->provenance().find("timezone-boundary-builder"), std::string::npos);
  EXPECT_NE((*index)->provenance().find("ODbL"), std::string::npos);
}

TEST(TimeZoneLookup, IndexPathFromTheEnvironmentAndErrors) {
  const std::string bundled = std::string(EVAPO_SOURCE_DIR) + "/share/evapo/time_zones.bin";
  ::setenv("EVAPO_TIME_ZONES_PATH", "/nonexistent/tz.bin", 1);
  EXPECT_EQ(find_time_zone_index_path(""), "");
  EXPECT_EQ(find_time_zone_index_path(bundled), bundled);
  ::setenv("EVAPO_TIME_ZONES_PATH", bundled.c_str(), 1);
  EXPECT_EQ(find_time_zone_index_path(""), bundled);
  ::unsetenv("EVAPO_TIME_ZONES_PATH");

  const auto missing = locate_time_zone(0.0, 0.0, "/nonexistent/tz.bin");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, domain::ErrorCode::not_found);

  const auto corrupt_path =
      (std::filesystem::temp_directory_path() / "evapo_corrupt_time_zones.bin").string();
  std::ofstream(corrupt_path, std::ios::binary) << "EVTZIDX1 but nothing sensible after it";
  const auto corrupt = locate_time_zone(0.0, 0.0, corrupt_path);
  std::filesystem::remove(corrupt_path);
  ASSERT_FALSE(corrupt);
  EXPECT_EQ(corrupt.error().code, domain::ErrorCode::invalid_argument);
  EXPECT_NE(corrupt.error().message.find(corrupt_path), std::string::npos);
}

}  // namespace
}  // namespace evapo::sources
