// Fuzzes the netCDF-3 reader of the ETOPO grid: no crash, no read outside the bytes, no
// allocation beyond them; an accepted grid answers every point, wrapped longitudes and polar
// latitudes included, with a finite height.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <evapo/sources/etopo_grid.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<unsigned char> bytes(data, data + size);
  const auto grid = evapo::sources::EtopoGrid::parse(bytes, "fuzz.cdf");
  if (!grid) return 0;
  if (grid->columns() < 2 || grid->rows() < 2) std::abort();
  for (const double lat : {-90.0, -45.5, 0.0, 12.25, 89.9, 91.0}) {
    for (const double lon : {-180.0, -0.1, 0.0, 77.7, 179.99, 360.0, -725.0}) {
      if (!std::isfinite(grid->elevation_m(lat, lon))) std::abort();
      if (!std::isfinite(grid->nearest_elevation_m(lat, lon))) std::abort();
    }
  }
  return 0;
}
