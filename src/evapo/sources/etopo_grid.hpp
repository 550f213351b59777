#pragma once

// Offline elevation: the ETOPO20 relief grid (NOAA, 20 arc-minutes, netCDF-3 classic), read by a
// small reader of its own; bilinear interpolation.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <evapo/domain/error.hpp>

namespace evapo::sources {

/// A regular lon/lat grid of heights in metres (negative under the sea).
class EtopoGrid {
 public:
  /// Reads a netCDF-3 classic file with 1-D coordinate variables (names containing "LON"/"LAT",
  /// any case) and one 2-D float/short/double height variable over them. not_found when the
  /// file is missing; upstream (corrupt data) when the layout is not understood.
  static domain::Expected<EtopoGrid> load(const std::string& path);

  /// load() of the file's bytes, already read (`source_name` for messages): upstream when the
  /// layout is not understood or coordinates are not finite and strictly ascending.
  static domain::Expected<EtopoGrid> parse(std::span<const unsigned char> data,
                                           const std::string& source_name);

  /// Bilinear height at a point [m]; longitudes wrap, latitudes clamp to the grid's edge rows.
  double elevation_m(double latitude_deg, double longitude_deg) const;

  /// Height of the grid node nearest to the point [m] (what ETOPO spot checks quote).
  double nearest_elevation_m(double latitude_deg, double longitude_deg) const;

  std::size_t columns() const { return lons_.size(); }
  std::size_t rows() const { return lats_.size(); }

 private:
  std::vector<double> lons_;    // ascending
  std::vector<double> lats_;    // ascending
  std::vector<float> heights_;  // row-major [lat][lon]
};

/// Where the grid is looked for, first hit wins: `configured` when not empty, else
/// $EVAPO_ETOPO_PATH when set (either must exist), else <exe dir>/../share/evapo/etopo20.cdf, <exe
/// dir>/share/evapo/etopo20.cdf, <source tree>/share/evapo/etopo20.cdf (compiled-in). Empty when
/// none exists.
std::string find_etopo_path(const std::string& configured);

/// The process-wide grid, loaded once from find_etopo_path(configured) and remembered for that
/// `configured` value (a later change of EVAPO_ETOPO_PATH is not seen); thread-safe.
domain::Expected<std::shared_ptr<const EtopoGrid>> shared_etopo_grid(const std::string& configured);

}  // namespace evapo::sources
