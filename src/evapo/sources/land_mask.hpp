#pragma once

// Whether a point is on land, from the Natural Earth 1:50m land polygons (world-atlas TopoJSON,
// share/evapo/land-50m.json): the test behind refusing a calculation over the sea.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/error.hpp>

namespace evapo::sources {

/// The land polygons, in degrees. Rings that cross the antimeridian are kept unwrapped (their
/// longitudes continue past ±180) and rings around a pole (Antarctica) are closed along it, so
/// every ring is a plain planar polygon.
class LandMask {
 public:
  /// Parses a world-atlas TopoJSON topology with a `land` object (quantized arcs, Polygon or
  /// MultiPolygon geometries). invalid_argument when the text is not such a topology.
  static domain::Expected<LandMask> parse(std::string_view topojson);

  /// Reads and parses the file: not_found when it cannot be read.
  static domain::Expected<LandMask> load(const std::string& path);

  /// True inside a land polygon (longitudes wrap).
  bool is_land(double latitude_deg, double longitude_deg) const;

  /// Distance [km] from the point to the nearest land (0 on land), when land lies within
  /// `search_km` of it; nullopt otherwise. Distances on a local equirectangular projection,
  /// accurate to a few per cent at these ranges.
  std::optional<double> distance_to_land_km(double latitude_deg, double longitude_deg,
                                            double search_km) const;

  std::size_t ring_count() const { return rings_.size(); }

 private:
  struct Ring {
    std::vector<double> lon;  // unwrapped, closed (first point repeated last)
    std::vector<double> lat;
    double min_lon = 0.0, max_lon = 0.0, min_lat = 0.0, max_lat = 0.0;
  };
  // The point's longitude shifted by a multiple of 360° into the ring's span, if it falls there.
  static std::optional<double> shifted_into(const Ring& ring, double longitude_deg,
                                            double margin_deg);
  std::vector<Ring> rings_;
};

/// The land file: `configured` when not empty, else $EVAPO_LAND_PATH, else land-50m.json in
/// share/evapo (see share_file.hpp). Empty when none exists.
std::string find_land_path(const std::string& configured);

/// The process-wide mask, loaded once per `configured` value; thread-safe.
domain::Expected<std::shared_ptr<const LandMask>> shared_land_mask(const std::string& configured);

}  // namespace evapo::sources
