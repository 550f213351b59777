// Fuzzes the MET Norway Locationforecast parser: no crash, an accepted series keeps the series
// invariants and only days inside the asked range.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <evapo/domain/time_zone.hpp>
#include <evapo/sources/met_norway_client.hpp>

#include "weather_series_oracle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  using namespace std::chrono;
  // The recorded fixtures are from 2019-2024; a wide window keeps their days.
  const evapo::domain::Date start = year{2015} / 1 / 1;
  const evapo::domain::Date end = year{2030} / 12 / 31;
  // UTC, a fixed offset and one with a daylight-saving change inside the fixtures' years.
  const evapo::domain::TimeZone zones[] = {
      evapo::domain::TimeZone::from_longitude(0.0), evapo::domain::TimeZone::from_longitude(-75.0),
      evapo::domain::TimeZone("Test/Summer", evapo::domain::TimeZoneSource::boundary,
                              {{0, 3600}, {1'700'000'000, 7200}})};
  for (const auto& zone : zones) {
    if (const auto series = evapo::sources::parse_met_norway(body, zone, start, end)) {
      evapo::fuzz::check_series(*series, start, end);
    }
  }
  return 0;
}
