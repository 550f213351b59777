#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/core/time_zone_index.hpp>

namespace evapo::core {
namespace {

using domain::TimeZoneSource;

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

// An index file in the generator's layout, with the given zones (zone 0 = nautical) and tree.
std::vector<std::uint8_t> index_bytes(std::uint32_t depth, const std::vector<std::string>& zones,
                                      const std::vector<std::uint8_t>& tree) {
  std::vector<std::uint8_t> out{'E', 'V', 'T', 'Z', 'I', 'D', 'X', '1'};
  put_u32(out, depth);
  put_u32(out, static_cast<std::uint32_t>(zones.size()));
  for (const auto& zone : zones) {
    out.push_back(static_cast<std::uint8_t>(zone.size()));
    out.insert(out.end(), zone.begin(), zone.end());
  }
  const std::string provenance = "hand-made test index";
  put_u32(out, static_cast<std::uint32_t>(provenance.size()));
  out.insert(out.end(), provenance.begin(), provenance.end());
  put_u32(out, static_cast<std::uint32_t>(tree.size()));
  out.insert(out.end(), tree.begin(), tree.end());
  return out;
}

// Depth 2: the south-west quarter of the world is split again (its north-east eighth is zone 2),
// the south-east quarter is sea, the north-west zone 1, the north-east zone 2.
const std::vector<std::string> kZones = {"", "America/Test", "Asia/Test"};
const std::vector<std::uint8_t> kTree = {0xFF, 0xFF, 1, 1, 1, 2, 0, 1, 2};

TEST(TimeZoneIndex, FindsTheLeafOfEachQuadrant) {
  const auto index = TimeZoneIndex::decode(index_bytes(2, kZones, kTree));
  ASSERT_TRUE(index) << index.error().message;
  EXPECT_EQ(index->zone_count(), 2U);
  EXPECT_EQ(index->node_count(), 2U);
  EXPECT_EQ(index->depth(), 2);
  EXPECT_EQ(index->provenance(), "hand-made test index");
  EXPECT_EQ(index->zone_at(-60.0, -150.0).name, "America/Test");  // south-west of the south-west
  EXPECT_EQ(index->zone_at(-10.0, -10.0).name, "Asia/Test");      // its north-east eighth
  EXPECT_EQ(index->zone_at(45.0, -100.0).name, "America/Test");
  EXPECT_EQ(index->zone_at(45.0, 100.0).name, "Asia/Test");
  EXPECT_EQ(index->zone_at(45.0, 100.0).source, TimeZoneSource::boundary);
  EXPECT_EQ(index->zone_at(90.0, 180.0).name, "Asia/Test");  // the edges belong to the grid
}

TEST(TimeZoneIndex, TheSeaIsTheNauticalZoneOfTheLongitude) {
  const auto index = TimeZoneIndex::decode(index_bytes(2, kZones, kTree));
  ASSERT_TRUE(index);
  const struct {
    double lon;
    const char* zone;
  } cases[] = {{0.0, "Etc/GMT"},     {7.4, "Etc/GMT"},      {30.0, "Etc/GMT-2"},
               {75.99, "Etc/GMT-5"}, {172.6, "Etc/GMT-12"}, {180.0, "Etc/GMT-12"}};
  for (const auto& c : cases) {
    const auto match = index->zone_at(-45.0, c.lon);
    EXPECT_EQ(match.name, c.zone) << c.lon;
    EXPECT_EQ(match.source, TimeZoneSource::nautical);
  }
  // Longitudes wrap: 200°E is 160°W, in the north-west zone.
  EXPECT_EQ(index->zone_at(45.0, 200.0).name, "America/Test");
  EXPECT_EQ(index->zone_at(std::nan(""), 10.0).name, "Etc/GMT");
}

TEST(TimeZoneIndex, RefusesMalformedFiles) {
  const auto good = index_bytes(2, kZones, kTree);
  const struct {
    const char* what;
    std::vector<std::uint8_t> bytes;
  } cases[] = {
      {"empty", {}},
      {"bad magic",
       [&] {
         auto b = good;
         b[0] = 'X';
         return b;
       }()},
      {"truncated", std::vector<std::uint8_t>(good.begin(), good.end() - 1)},
      {"trailing byte",
       [&] {
         auto b = good;
         b.push_back(0);
         return b;
       }()},
      {"zone id past the table", index_bytes(2, kZones, {0xFF, 1, 1, 1, 3})},
      {"wide zone id past the table", index_bytes(2, kZones, {0xFF, 1, 1, 1, 0xFE, 0})},
      {"tree deeper than its depth", index_bytes(1, kZones, kTree)},
      {"node with missing children", index_bytes(2, kZones, {0xFF, 1, 1})},
      {"tree after its end", index_bytes(2, kZones, {1, 2})},
      {"zone 0 with a name", index_bytes(2, {"X", "Y"}, {1})},
      {"depth 0", index_bytes(0, kZones, {1})},
      {"no zones", index_bytes(2, {}, {0})},
  };
  for (const auto& c : cases) {
    const auto index = TimeZoneIndex::decode(c.bytes);
    ASSERT_FALSE(index) << c.what;
    EXPECT_EQ(index.error().code, domain::ErrorCode::invalid_argument) << c.what;
  }
}

}  // namespace
}  // namespace evapo::core
