#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <numbers>

#include <nlohmann/json.hpp>

#include <evapo/domain/read_file.hpp>
#include <evapo/sources/land_mask.hpp>
#include <evapo/sources/share_file.hpp>

namespace evapo::sources {

namespace {

using Json = nlohmann::json;
using domain::Error;

constexpr double kKmPerDegree = 111.2;

struct Point {
  double lon;
  double lat;
};

// Absolute positions of every arc (quantized arcs are delta-encoded, then scaled).
std::vector<std::vector<Point>> decode_arcs(const Json& topology) {
  double scale_x = 1.0, scale_y = 1.0, translate_x = 0.0, translate_y = 0.0;
  const bool quantized = topology.contains("transform");
  if (quantized) {
    const Json& transform = topology["transform"];
    scale_x = transform.at("scale").at(0).get<double>();
    scale_y = transform.at("scale").at(1).get<double>();
    translate_x = transform.at("translate").at(0).get<double>();
    translate_y = transform.at("translate").at(1).get<double>();
  }
  std::vector<std::vector<Point>> arcs;
  for (const Json& arc : topology.at("arcs")) {
    std::vector<Point> points;
    double x = 0.0, y = 0.0;
    for (const Json& position : arc) {
      const double px = position.at(0).get<double>();
      const double py = position.at(1).get<double>();
      x = quantized ? x + px : px;
      y = quantized ? y + py : py;
      points.push_back({x * scale_x + translate_x, y * scale_y + translate_y});
    }
    arcs.push_back(std::move(points));
  }
  return arcs;
}

// The ring's points from its arc indices (~i = arc i reversed); arcs share their end points.
std::vector<Point> ring_points(const Json& indices, const std::vector<std::vector<Point>>& arcs) {
  std::vector<Point> ring;
  for (const Json& item : indices) {
    const int index = item.get<int>();
    const auto arc_index = static_cast<std::size_t>(index >= 0 ? index : ~index);
    std::vector<Point> arc = arcs.at(arc_index);
    if (index < 0) std::reverse(arc.begin(), arc.end());
    ring.insert(ring.end(), arc.begin() + (ring.empty() ? 0 : 1), arc.end());
  }
  return ring;
}

}  // namespace

domain::Expected<LandMask> LandMask::parse(std::string_view topojson) {
  const Json topology = Json::parse(topojson.begin(), topojson.end(), nullptr, false);
  if (topology.is_discarded() || !topology.is_object() || !topology.contains("objects") ||
      !topology["objects"].contains("land") || !topology.contains("arcs")) {
    return domain::fail(Error::invalid_argument("land mask: not a TopoJSON topology with `land`"));
  }
  LandMask mask;
  try {
    const auto arcs = decode_arcs(topology);
    const Json& land = topology["objects"]["land"];
    const Json geometries = land.contains("geometries") ? land["geometries"] : Json::array({land});
    for (const Json& geometry : geometries) {
      const std::string type = geometry.at("type").get<std::string>();
      Json polygons = Json::array();
      if (type == "Polygon") {
        polygons.push_back(geometry.at("arcs"));
      } else if (type == "MultiPolygon") {
        polygons = geometry.at("arcs");
      } else {
        continue;
      }
      for (const Json& polygon : polygons) {
        for (const Json& indices : polygon) {
          const auto points = ring_points(indices, arcs);
          if (points.size() < 3) continue;
          Ring ring;
          double lon = points.front().lon;
          double lat_sum = 0.0;
          for (std::size_t i = 0; i < points.size(); ++i) {
            if (i > 0) {
              double step = points[i].lon - points[i - 1].lon;
              if (step > 180.0) step -= 360.0;
              if (step < -180.0) step += 360.0;
              lon += step;
            }
            ring.lon.push_back(lon);
            ring.lat.push_back(points[i].lat);
            lat_sum += points[i].lat;
          }
          // A ring around a pole ends 360° east or west of its start: close it along the pole.
          if (std::abs(ring.lon.back() - ring.lon.front()) > 180.0) {
            const double pole = lat_sum < 0.0 ? -90.0 : 90.0;
            const double first_lon = ring.lon.front();
            ring.lon.insert(ring.lon.end(), {ring.lon.back(), first_lon});
            ring.lat.insert(ring.lat.end(), {pole, pole});
          }
          if (ring.lon.back() != ring.lon.front() || ring.lat.back() != ring.lat.front()) {
            ring.lon.push_back(ring.lon.front());
            ring.lat.push_back(ring.lat.front());
          }
          const auto [min_lon, max_lon] = std::minmax_element(ring.lon.begin(), ring.lon.end());
          const auto [min_lat, max_lat] = std::minmax_element(ring.lat.begin(), ring.lat.end());
          ring.min_lon = *min_lon;
          ring.max_lon = *max_lon;
          ring.min_lat = *min_lat;
          ring.max_lat = *max_lat;
          mask.rings_.push_back(std::move(ring));
        }
      }
    }
  } catch (const std::exception& error) {
    return domain::fail(Error::invalid_argument(std::string("land mask: ") + error.what()));
  }
  if (mask.rings_.empty()) return domain::fail(Error::invalid_argument("land mask: no polygons"));
  return mask;
}

domain::Expected<LandMask> LandMask::load(const std::string& path) {
  auto text = domain::read_file(path);
  if (!text)
    return domain::fail(Error{text.error().code, "land mask: " + text.error().message, {}});
  return parse(*text);
}

std::optional<double> LandMask::shifted_into(const Ring& ring, double longitude_deg,
                                             double margin_deg) {
  for (const double shift : {0.0, -360.0, 360.0, -720.0, 720.0}) {
    const double x = longitude_deg + shift;
    if (x >= ring.min_lon - margin_deg && x <= ring.max_lon + margin_deg) return x;
  }
  return std::nullopt;
}

bool LandMask::is_land(double latitude_deg, double longitude_deg) const {
  bool inside = false;
  for (const Ring& ring : rings_) {
    if (latitude_deg < ring.min_lat || latitude_deg > ring.max_lat) continue;
    const auto x = shifted_into(ring, longitude_deg, 0.0);
    if (!x) continue;
    // Even-odd rule over every ring: holes (lakes of the data, the pole cap) flip it back.
    for (std::size_t i = 1; i < ring.lon.size(); ++i) {
      const double lat_a = ring.lat[i - 1];
      const double lat_b = ring.lat[i];
      if ((lat_a > latitude_deg) == (lat_b > latitude_deg)) continue;
      const double crossing = ring.lon[i - 1] + (ring.lon[i] - ring.lon[i - 1]) *
                                                    (latitude_deg - lat_a) / (lat_b - lat_a);
      if (*x < crossing) inside = !inside;
    }
  }
  return inside;
}

std::optional<double> LandMask::distance_to_land_km(double latitude_deg, double longitude_deg,
                                                    double search_km) const {
  if (is_land(latitude_deg, longitude_deg)) return 0.0;
  const double km_per_lat = kKmPerDegree;
  const double km_per_lon = kKmPerDegree * std::cos(latitude_deg * std::numbers::pi / 180.0);
  const double margin_lat = search_km / km_per_lat;
  const double margin_lon = km_per_lon > search_km / 360.0 ? search_km / km_per_lon : 360.0;
  std::optional<double> nearest;
  for (const Ring& ring : rings_) {
    if (latitude_deg < ring.min_lat - margin_lat || latitude_deg > ring.max_lat + margin_lat) {
      continue;
    }
    const auto x = shifted_into(ring, longitude_deg, margin_lon);
    if (!x) continue;
    for (std::size_t i = 1; i < ring.lon.size(); ++i) {
      // Segment a-b relative to the point, in km.
      const double ax = (ring.lon[i - 1] - *x) * km_per_lon;
      const double ay = (ring.lat[i - 1] - latitude_deg) * km_per_lat;
      const double bx = (ring.lon[i] - *x) * km_per_lon;
      const double by = (ring.lat[i] - latitude_deg) * km_per_lat;
      const double dx = bx - ax;
      const double dy = by - ay;
      const double length2 = dx * dx + dy * dy;
      const double t = length2 > 0.0 ? std::clamp(-(ax * dx + ay * dy) / length2, 0.0, 1.0) : 0.0;
      const double distance = std::hypot(ax + t * dx, ay + t * dy);
      if (distance <= search_km && (!nearest || distance < *nearest)) nearest = distance;
    }
  }
  return nearest;
}

std::string find_land_path(const std::string& configured) {
  return find_share_file(configured, "EVAPO_LAND_PATH", "land-50m.json");
}

domain::Expected<std::shared_ptr<const LandMask>> shared_land_mask(const std::string& configured) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const LandMask>> loaded;  // by `configured`
  const std::lock_guard lock(mutex);
  if (auto it = loaded.find(configured); it != loaded.end()) return it->second;
  const std::string path = find_land_path(configured);
  if (path.empty()) {
    return domain::fail(Error::not_found(
        configured.empty() ? "land polygons land-50m.json not found (set EVAPO_LAND_PATH)"
                           : "land polygons not found at " + configured));
  }
  auto mask = LandMask::load(path);
  if (!mask) return domain::fail(mask.error());
  auto shared = std::make_shared<const LandMask>(std::move(*mask));
  loaded[configured] = shared;
  return shared;
}

}  // namespace evapo::sources
