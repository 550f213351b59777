// Fuzzes both NASA POWER body parsers (daily point JSON and CSV) with the same bytes: no crash,
// an accepted series keeps the series invariants (weather_series_oracle.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <evapo/sources/nasa_power_client.hpp>

#include "weather_series_oracle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (const auto series = evapo::sources::parse_nasa_power_json(body)) {
    evapo::fuzz::check_series(*series);
  }
  if (const auto series = evapo::sources::parse_nasa_power_csv(body)) {
    evapo::fuzz::check_series(*series);
  }
  (void)evapo::sources::nasa_power_error(500, body);
  return 0;
}
