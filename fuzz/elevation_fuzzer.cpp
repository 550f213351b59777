// Fuzzes the Open-Meteo elevation answer: no crash; an accepted height is one the Earth has.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <evapo/sources/elevation.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (const auto height = evapo::sources::parse_elevation(body)) {
    if (!std::isfinite(*height) || *height < -11000.0 || *height > 9000.0) std::abort();
  }
  return 0;
}
