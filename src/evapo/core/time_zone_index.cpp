#include <algorithm>
#include <cmath>

#include <evapo/core/time_zone_index.hpp>

namespace evapo::core {

namespace {

constexpr std::uint32_t kLeaf = 0x8000'0000U;
constexpr std::uint8_t kNode = 0xFF;
constexpr std::uint8_t kWideLeaf = 0xFE;
constexpr int kMaxDepth = 24;
constexpr std::string_view kMagic = "EVTZIDX1";

// Little-endian reads that refuse to run past the end.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  bool u8(std::uint8_t& out) {
    if (at_ >= bytes_.size()) return false;
    out = bytes_[at_++];
    return true;
  }
  bool u32(std::uint32_t& out) {
    if (bytes_.size() - at_ < 4) return false;
    out = 0;
    for (int i = 3; i >= 0; --i) out = (out << 8) | bytes_[at_ + static_cast<std::size_t>(i)];
    at_ += 4;
    return true;
  }
  bool text(std::size_t length, std::string& out) {
    if (bytes_.size() - at_ < length) return false;
    out.assign(reinterpret_cast<const char*>(bytes_.data() + at_), length);
    at_ += length;
    return true;
  }
  std::span<const std::uint8_t> take(std::size_t length) {
    if (bytes_.size() - at_ < length) return {};
    auto part = bytes_.subspan(at_, length);
    at_ += length;
    return part;
  }
  std::size_t left() const { return bytes_.size() - at_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
};

domain::Error corrupt(const std::string& what) {
  return domain::Error::invalid_argument("time-zone index: " + what);
}

// Rebuilds the pre-order byte tree into 4-entry nodes, checking every code and the depth.
class TreeDecoder {
 public:
  TreeDecoder(std::span<const std::uint8_t> tree, std::size_t zones, int depth,
              std::vector<std::uint32_t>& nodes)
      : tree_(tree), zones_(zones), depth_(depth), nodes_(nodes) {}

  // One entry from the current position; false when the bytes are not a valid tree.
  bool entry(int level, std::uint32_t& out) {
    if (at_ >= tree_.size()) return false;
    const std::uint8_t code = tree_[at_++];
    if (code == kNode) {
      if (level >= depth_) return false;
      const auto index = static_cast<std::uint32_t>(nodes_.size() / 4);
      if (index >= kLeaf) return false;
      nodes_.resize(nodes_.size() + 4);
      for (std::size_t child = 0; child < 4; ++child) {
        std::uint32_t value = 0;
        if (!entry(level + 1, value)) return false;
        nodes_[std::size_t{index} * 4 + child] = value;
      }
      out = index;
      return true;
    }
    std::size_t zone = code;
    if (code == kWideLeaf) {
      if (at_ >= tree_.size()) return false;
      zone = std::size_t{kWideLeaf} + tree_[at_++];
    }
    if (zone >= zones_) return false;
    out = kLeaf | static_cast<std::uint32_t>(zone);
    return true;
  }
  bool consumed_all() const { return at_ == tree_.size(); }

 private:
  std::span<const std::uint8_t> tree_;
  std::size_t at_ = 0;
  std::size_t zones_;
  int depth_;
  std::vector<std::uint32_t>& nodes_;
};

}  // namespace

domain::Expected<TimeZoneIndex> TimeZoneIndex::decode(std::span<const std::uint8_t> bytes) {
  Reader reader(bytes);
  std::string magic;
  if (!reader.text(kMagic.size(), magic) || magic != kMagic)
    return domain::fail(corrupt("bad magic"));
  std::uint32_t depth = 0;
  std::uint32_t zone_count = 0;
  if (!reader.u32(depth) || depth < 1 || depth > kMaxDepth)
    return domain::fail(corrupt("bad depth"));
  if (!reader.u32(zone_count) || zone_count < 1 || zone_count > 254 + 256) {
    return domain::fail(corrupt("bad zone count"));
  }
  TimeZoneIndex index;
  index.depth_ = static_cast<int>(depth);
  index.zones_.resize(zone_count);
  for (auto& zone : index.zones_) {
    std::uint8_t length = 0;
    if (!reader.u8(length) || !reader.text(length, zone)) return domain::fail(corrupt("truncated"));
  }
  if (!index.zones_.front().empty()) return domain::fail(corrupt("zone 0 must be the nautical"));
  std::uint32_t length = 0;
  if (!reader.u32(length) || !reader.text(length, index.provenance_)) {
    return domain::fail(corrupt("truncated provenance"));
  }
  if (!reader.u32(length) || length == 0 || reader.left() != length) {
    return domain::fail(corrupt("tree length does not match the file"));
  }
  TreeDecoder tree(reader.take(length), zone_count, index.depth_, index.nodes_);
  if (!tree.entry(0, index.root_) || !tree.consumed_all()) {
    return domain::fail(corrupt("malformed tree"));
  }
  for (int hours = -12; hours <= 12; ++hours) {
    const int slot = hours + 12;
    index.nautical_[static_cast<std::size_t>(slot)] = domain::etc_zone_name(hours);
  }
  return index;
}

ZoneMatch TimeZoneIndex::zone_at(double latitude_deg, double longitude_deg) const {
  const auto nautical = [&](double lon) {
    const int slot = domain::band_hours_east(lon) + 12;
    return ZoneMatch{nautical_[static_cast<std::size_t>(slot)], domain::TimeZoneSource::nautical};
  };
  if (!std::isfinite(latitude_deg) || !std::isfinite(longitude_deg)) return nautical(0.0);
  double lon = std::fmod(longitude_deg + 180.0, 360.0);
  if (lon < 0) lon += 360.0;
  lon -= 180.0;
  if (longitude_deg == 180.0) lon = 180.0;  // the dateline itself stays east
  const double lat = std::clamp(latitude_deg, -90.0, 90.0);
  const double cells = std::ldexp(1.0, depth_);
  const auto cell = [&](double fraction) {
    return static_cast<std::uint32_t>(std::clamp(std::floor(fraction * cells), 0.0, cells - 1.0));
  };
  const std::uint32_t x = cell((lon + 180.0) / 360.0);
  const std::uint32_t y = cell((lat + 90.0) / 180.0);
  std::uint32_t entry = root_;
  for (int level = depth_ - 1; (entry & kLeaf) == 0; --level) {
    const std::uint32_t child = (((y >> level) & 1U) << 1) | ((x >> level) & 1U);
    entry = nodes_[entry * 4 + child];
  }
  const std::uint32_t zone = entry & ~kLeaf;
  if (zone == 0) return nautical(lon);
  return {zones_[zone], domain::TimeZoneSource::boundary};
}

}  // namespace evapo::core
