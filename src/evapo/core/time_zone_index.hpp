#pragma once

// The offline time-zone boundary index (share/evapo/time_zones.bin, made by
// tools/time_zone_index from timezone-boundary-builder): a quadtree over longitude and latitude
// whose leaves name a zone. Pure: decodes bytes it is given, reads no file.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/domain/time_zone.hpp>

namespace evapo::core {

/// A zone found at a point: its IANA name and whether a zone boundary or the sea gave it.
struct ZoneMatch {
  std::string_view name;  // valid as long as the index
  domain::TimeZoneSource source = domain::TimeZoneSource::boundary;
};

class TimeZoneIndex {
 public:
  /// Decodes the index file's bytes (layout in tools/time_zone_index/build_time_zone_index.mjs).
  /// invalid_argument naming the first problem when they are not a well-formed index.
  static domain::Expected<TimeZoneIndex> decode(std::span<const std::uint8_t> bytes);

  /// The zone at a point: the one whose boundary holds it, else (at sea) the nautical zone of its
  /// 15-degree band, Etc/GMT+-N = round(longitude / 15) h east. Latitude is clamped to +-90,
  /// longitude wrapped into -180..180; a non-finite coordinate gives the nautical Etc/GMT.
  ZoneMatch zone_at(double latitude_deg, double longitude_deg) const;

  /// Where the data come from (data set, version, licence), as the file states it.
  const std::string& provenance() const { return provenance_; }
  /// Named zones (the nautical ones not counted).
  std::size_t zone_count() const { return zones_.size() - 1; }
  /// Quadtree nodes that have children.
  std::size_t node_count() const { return nodes_.size() / 4; }
  /// Depth of the finest cells: 360 / 2^depth by 180 / 2^depth degrees.
  int depth() const { return depth_; }

 private:
  int depth_ = 0;
  std::vector<std::string> zones_;    // [0] = "" stands for the nautical zone
  std::vector<std::uint32_t> nodes_;  // 4 entries per node: a child node's index, or kLeaf | zone
  std::uint32_t root_ = 0;            // an entry, as in nodes_
  std::string provenance_;
  std::array<std::string, 25> nautical_;  // Etc/GMT+12 .. Etc/GMT-12, by hours east + 12
};

}  // namespace evapo::core
