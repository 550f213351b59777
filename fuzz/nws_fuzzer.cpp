// Fuzzes both NWS parsers with the same bytes: points (its values become the next URL, so an
// accepted grid must be an office code and small cell numbers) and gridpoints (the series
// invariants, days inside the asked range); and the problem+json error reader.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <evapo/domain/time_zone.hpp>
#include <evapo/sources/nws_client.hpp>

#include "weather_series_oracle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (const auto grid = evapo::sources::parse_nws_points(body)) {
    if (grid->grid_id.empty() || grid->grid_id.size() > 4) std::abort();
    for (const char c : grid->grid_id) {
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) std::abort();
    }
    if (grid->grid_x < 0 || grid->grid_y < 0) std::abort();
    const auto url = evapo::sources::nws_gridpoints_url("https://api.weather.gov", *grid);
    if (url.find("..") != std::string::npos || url.find('?') != std::string::npos) std::abort();
  }
  using namespace std::chrono;
  const evapo::domain::Date start = year{2015} / 1 / 1;
  const evapo::domain::Date end = year{2030} / 12 / 31;
  for (const auto& zone : {evapo::domain::TimeZone::from_longitude(0.0),
                           evapo::domain::TimeZone::from_longitude(-75.0)}) {
    if (const auto series = evapo::sources::parse_nws_gridpoints(body, zone, start, end)) {
      evapo::fuzz::check_series(*series, start, end);
    }
  }
  (void)evapo::sources::nws_error(404, body);
  return 0;
}
