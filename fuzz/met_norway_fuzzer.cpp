// Fuzzes the MET Norway Locationforecast parser: no crash, an accepted series keeps the series
// invariants and only days inside the asked range.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <evapo/sources/met_norway_client.hpp>

#include "weather_series_oracle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  using namespace std::chrono;
  // The recorded fixtures are from 2019-2024; a wide window keeps their days.
  const evapo::domain::Date start = year{2015} / 1 / 1;
  const evapo::domain::Date end = year{2030} / 12 / 31;
  for (const int offset_s : {0, 3600, -5 * 3600}) {
    if (const auto series = evapo::sources::parse_met_norway(body, offset_s, start, end)) {
      evapo::fuzz::check_series(*series, start, end);
    }
  }
  return 0;
}
