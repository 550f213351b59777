// Fuzzes the Open-Meteo daily body parser (archive and forecast) and its error reader: no crash,
// an accepted series keeps the series invariants.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <evapo/sources/open_meteo_client.hpp>

#include "weather_series_oracle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (const auto source : {evapo::domain::SourceId::open_meteo_archive,
                            evapo::domain::SourceId::open_meteo_forecast}) {
    if (const auto series = evapo::sources::parse_open_meteo_daily(source, body)) {
      evapo::fuzz::check_series(*series);
    }
  }
  (void)evapo::sources::open_meteo_error(400, body);
  return 0;
}
