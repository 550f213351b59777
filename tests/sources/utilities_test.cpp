#include <cstdlib>

#include <gtest/gtest.h>

#include <evapo/sources/date_chunks.hpp>
#include <evapo/sources/fetch_request.hpp>
#include <evapo/sources/iso_time.hpp>
#include <evapo/sources/sources_config.hpp>

#include "fixture_path.hpp"

namespace evapo::sources {
namespace {

using test::day;

TEST(IsoTime, ParsesUtcAndOffsets) {
  EXPECT_EQ(parse_iso_utc_seconds("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_iso_utc_seconds("2020-07-20T11:00:00Z"), 1595242800);
  EXPECT_EQ(parse_iso_utc_seconds("2022-02-03T21:00:00+00:00"), 1643922000);
  EXPECT_EQ(parse_iso_utc_seconds("2022-02-03T16:00:00-05:00"), 1643922000);
  EXPECT_EQ(parse_iso_utc_seconds("2022-12-29T00:00"), 1672272000);
  EXPECT_FALSE(parse_iso_utc_seconds("2022-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_iso_utc_seconds("2022-02-03 21"));
  EXPECT_EQ(format_iso_utc_seconds(1595242800), "2020-07-20T11:00:00Z");
}

TEST(IsoTime, ParsesDurations) {
  EXPECT_EQ(parse_iso_duration_seconds("PT1H"), 3600);
  EXPECT_EQ(parse_iso_duration_seconds("PT13H"), 13 * 3600);
  EXPECT_EQ(parse_iso_duration_seconds("P1DT6H"), 30 * 3600);
  EXPECT_EQ(parse_iso_duration_seconds("P7DT14H"), (7 * 24 + 14) * 3600);
  EXPECT_EQ(parse_iso_duration_seconds("P1D"), 86400);
  EXPECT_EQ(parse_iso_duration_seconds("PT30M"), 1800);
  EXPECT_FALSE(parse_iso_duration_seconds("P1M"));
  EXPECT_FALSE(parse_iso_duration_seconds("PT"));
  EXPECT_FALSE(parse_iso_duration_seconds("1H"));
}

TEST(DateChunks, SplitsIntoConsecutiveRanges) {
  const auto chunks = split_date_range(day(2024, 1, 1), day(2024, 12, 31), 100);
  ASSERT_EQ(chunks.size(), 4U);
  EXPECT_EQ(chunks[0].start, day(2024, 1, 1));
  EXPECT_EQ(chunks[0].end, day(2024, 4, 9));
  EXPECT_EQ(chunks[1].start, day(2024, 4, 10));
  EXPECT_EQ(chunks[3].end, day(2024, 12, 31));
  EXPECT_EQ(split_date_range(day(2024, 1, 1), day(2024, 1, 1), 10).size(), 1U);
  EXPECT_TRUE(split_date_range(day(2024, 1, 2), day(2024, 1, 1), 10).empty());
}

TEST(FetchRequest, TimeZoneIsTheRequestsOrTheLongitudeEstimate) {
  FetchRequest request;
  request.location.longitude_deg = -47.9;
  EXPECT_EQ(effective_time_zone(request).name(), "Etc/GMT+3");
  EXPECT_EQ(effective_time_zone(request).source(), domain::TimeZoneSource::longitude);
  request.time_zone = test::utc_plus(-7200);
  EXPECT_EQ(effective_time_zone(request).utc_offset_s(0), -7200);
}

TEST(SourcesConfig, SourceList) {
  const auto ids = parse_source_list(" nasa_power, nws ,nasa_power");
  ASSERT_TRUE(ids);
  ASSERT_EQ(ids->size(), 2U);
  EXPECT_EQ((*ids)[0], domain::SourceId::nasa_power);
  EXPECT_EQ((*ids)[1], domain::SourceId::nws);
  const auto bad = parse_source_list("nasa_power,openmeteo");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, domain::ErrorCode::invalid_argument);
  EXPECT_NE(bad.error().message.find("openmeteo"), std::string::npos);
}

TEST(SourcesConfig, FromEnvironment) {
  setenv("EVAPO_NASA_POWER_URL", "http://127.0.0.1:9/", 1);
  setenv("EVAPO_SOURCES", "open_meteo_archive,met_norway", 1);
  setenv("EVAPO_HTTP_TIMEOUT_MS", "1500", 1);
  const auto config = SourcesConfig::from_environment();
  unsetenv("EVAPO_NASA_POWER_URL");
  unsetenv("EVAPO_SOURCES");
  unsetenv("EVAPO_HTTP_TIMEOUT_MS");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->nasa_power_url, "http://127.0.0.1:9");
  EXPECT_EQ(config->open_meteo_archive_url, "https://archive-api.open-meteo.com");
  EXPECT_EQ(config->elevation_url, "https://api.open-meteo.com");
  EXPECT_TRUE(config->is_enabled(domain::SourceId::met_norway));
  EXPECT_FALSE(config->is_enabled(domain::SourceId::nasa_power));
  EXPECT_EQ(config->request_timeout.count(), 1500);
  setenv("EVAPO_HTTP_TIMEOUT_MS", "soon", 1);
  const auto bad = SourcesConfig::from_environment();
  unsetenv("EVAPO_HTTP_TIMEOUT_MS");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, domain::ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace evapo::sources

#include <evapo/sources/elevation.hpp>
#include <evapo/sources/met_norway_client.hpp>
#include <evapo/sources/nasa_power_client.hpp>
#include <evapo/sources/nws_client.hpp>
#include <evapo/sources/nws_observation.hpp>
#include <evapo/sources/open_meteo_client.hpp>

namespace evapo::sources {
namespace {

// Bodies that are JSON but with members of the wrong type: every parser answers with an
// upstream error and nothing throws.
TEST(HostileBodies, WrongMemberTypesAreUpstreamErrors) {
  const auto d = test::day(2024, 1, 1);
  auto upstream = [](const auto& result) {
    return !result && result.error().code == domain::ErrorCode::upstream;
  };
  EXPECT_TRUE(upstream(parse_nasa_power_json(R"({"type":5,"properties":{"parameter":{}}})")));
  EXPECT_TRUE(upstream(parse_nasa_power_json(
      R"({"type":"Feature","properties":{"parameter":{"T2M":{"20240101":1}}},"parameters":{"T2M":{"units":5}}})")));
  EXPECT_TRUE(
      upstream(parse_open_meteo_daily(domain::SourceId::open_meteo_archive, R"({"error":"yes"})")));
  EXPECT_TRUE(upstream(
      parse_met_norway(R"({"properties":{"meta":{"units":{"air_temperature":5}},"timeseries":[]}})",
                       test::utc_plus(0), d, d)));
  EXPECT_TRUE(upstream(
      parse_nws_points(R"({"properties":{"gridId":"T","gridX":1,"gridY":2,"timeZone":5}})")));
  EXPECT_TRUE(upstream(
      parse_nws_observation(R"({"properties":{"timestamp":"2024-01-01T00:00:00Z","station":7}})")));
  EXPECT_TRUE(upstream(parse_elevation(R"({"error":1})")));
  EXPECT_NE(nws_error(500, R"({"title":5})").message.find("HTTP 500"), std::string::npos);
  EXPECT_NE(open_meteo_error(500, R"({"reason":[1]})").message.find("HTTP 500"), std::string::npos);
  EXPECT_NE(nasa_power_error(500, R"({"message":{"a":1}})").message.find("HTTP 500"),
            std::string::npos);
}

}  // namespace
}  // namespace evapo::sources
