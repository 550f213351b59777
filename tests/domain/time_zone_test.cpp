#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include <evapo/domain/time_zone.hpp>

namespace evapo::domain {
namespace {

using namespace std::chrono;

constexpr std::int64_t kDstStart2018 = 1541300400;  // 2018-11-04T03:00Z: 00:00 -03 -> 01:00 -02
constexpr std::int64_t kDstEnd2019 = 1550368800;    // 2019-02-17T02:00Z: 00:00 -02 -> 23:00 -03

// Brazil's last daylight-saving summer (America/Sao_Paulo, tzdata): its changes happened at local
// midnight, so one day lost its 00:00 hour and another had 23:00 twice.
TimeZone sao_paulo_2018() {
  return TimeZone("America/Sao_Paulo", TimeZoneSource::boundary,
                  {{std::numeric_limits<std::int64_t>::min(), -10800},
                   {kDstStart2018, -7200},
                   {kDstEnd2019, -10800}});
}

Date day(int y, unsigned m, unsigned d) {
  return Date{year{y}, month{m}, std::chrono::day{d}};
}

TEST(TimeZone, OffsetInForceAtEachInstant) {
  const TimeZone zone = sao_paulo_2018();
  EXPECT_EQ(zone.utc_offset_s(0), -10800);
  EXPECT_EQ(zone.utc_offset_s(kDstStart2018 - 1), -10800);
  EXPECT_EQ(zone.utc_offset_s(kDstStart2018), -7200);
  EXPECT_EQ(zone.utc_offset_s(kDstEnd2019 - 1), -7200);
  EXPECT_EQ(zone.utc_offset_s(kDstEnd2019), -10800);
  EXPECT_EQ(zone.utc_offset_s(4'000'000'000), -10800);
}

TEST(TimeZone, LocalDatesFollowTheOffsetOfTheInstant) {
  const TimeZone zone = sao_paulo_2018();
  const auto at = [](std::int64_t s) { return system_clock::time_point{seconds{s}}; };
  // 02:30Z on 4 Nov 2018 is 23:30 on the 3rd (-03); 03:30Z is 01:30 on the 4th (-02).
  EXPECT_EQ(zone.local_date(at(kDstStart2018 - 1800)), day(2018, 11, 3));
  EXPECT_EQ(zone.local_date(at(kDstStart2018 + 1800)), day(2018, 11, 4));
  // 01:30Z on 17 Feb 2019 is 23:30 on the 16th (-02), and so is 02:30Z (-03).
  EXPECT_EQ(zone.local_date(at(kDstEnd2019 - 1800)), day(2019, 2, 16));
  EXPECT_EQ(zone.local_date(at(kDstEnd2019 + 1800)), day(2019, 2, 16));
  EXPECT_EQ(zone.local_date(at(kDstEnd2019 + 3600)), day(2019, 2, 17));
}

TEST(TimeZone, DaysAcrossADaylightSavingChangeHave23Or25Hours) {
  const TimeZone zone = sao_paulo_2018();
  EXPECT_EQ(zone.day_start_utc_s(day(2018, 11, 3)), kDstStart2018 - 24 * 3600);
  EXPECT_EQ(zone.day_start_utc_s(day(2018, 11, 4)), kDstStart2018);  // begins at 01:00
  EXPECT_EQ(zone.hours_in_day(day(2018, 11, 3)), 24);
  EXPECT_EQ(zone.hours_in_day(day(2018, 11, 4)), 23);
  EXPECT_EQ(zone.hours_in_day(day(2018, 11, 5)), 24);
  EXPECT_EQ(zone.day_start_utc_s(day(2019, 2, 16)), kDstEnd2019 - 24 * 3600);  // 00:00 -02
  EXPECT_EQ(zone.day_start_utc_s(day(2019, 2, 17)), kDstEnd2019 + 3600);       // 00:00 -03
  EXPECT_EQ(zone.hours_in_day(day(2019, 2, 16)), 25);
  EXPECT_EQ(zone.hours_in_day(day(2019, 2, 17)), 24);
}

TEST(TimeZone, HalfHourOffsetsStillCount24HourStarts) {
  const TimeZone kolkata = TimeZone::fixed("Asia/Kolkata", TimeZoneSource::boundary, 19800);
  EXPECT_EQ(kolkata.day_start_utc_s(day(2024, 1, 1)), 19723LL * 86400 - 19800);
  EXPECT_EQ(kolkata.hours_in_day(day(2024, 1, 1)), 24);
}

TEST(TimeZone, LongitudeEstimateIsTheBandsEtcZone) {
  const struct {
    double lon;
    const char* name;
    int offset_h;
  } cases[] = {{-47.9, "Etc/GMT+3", -3}, {75.99, "Etc/GMT-5", 5},   {-8.72, "Etc/GMT+1", -1},
               {0.0, "Etc/GMT", 0},      {179.9, "Etc/GMT-12", 12}, {-180.0, "Etc/GMT+12", -12}};
  for (const auto& c : cases) {
    const TimeZone zone = TimeZone::from_longitude(c.lon);
    EXPECT_EQ(zone.name(), c.name) << c.lon;
    EXPECT_EQ(zone.source(), TimeZoneSource::longitude);
    EXPECT_EQ(zone.utc_offset_s(0), c.offset_h * 3600) << c.lon;
  }
  EXPECT_EQ(TimeZone::from_longitude(std::nan("")).name(), "Etc/GMT");
}

TEST(TimeZone, SourceNames) {
  EXPECT_EQ(to_string(TimeZoneSource::boundary), "boundary");
  EXPECT_EQ(to_string(TimeZoneSource::nautical), "nautical");
  EXPECT_EQ(to_string(TimeZoneSource::longitude), "longitude");
}

}  // namespace
}  // namespace evapo::domain
