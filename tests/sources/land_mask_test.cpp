// Land or sea from the bundled Natural Earth 1:50m land polygons.

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include <evapo/sources/land_mask.hpp>

namespace evapo::sources {
namespace {

class LandMaskTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto mask = shared_land_mask("");
    ASSERT_TRUE(mask) << mask.error().message;
    mask_ = *mask;
  }
  static std::shared_ptr<const LandMask> mask_;
};

std::shared_ptr<const LandMask> LandMaskTest::mask_;

TEST_F(LandMaskTest, FarmsAndCitiesAreLand) {
  const struct {
    const char* name;
    double lat, lon;
  } land[] = {{"Piracicaba", -22.725, -47.649},
              {"Fallon NV", 39.457, -118.774},
              {"Berlin", 52.52, 13.41},
              {"Nairobi", -1.283, 36.817},
              {"Manaus", -3.1, -60.0},
              {"Chukotka west of 180", 66.0, 175.0},
              {"Chukotka east of 180", 66.0, -175.0},
              {"Viti Levu, Fiji", -17.8, 178.0},
              {"Antarctica", -80.0, 0.0},
              {"South Pole", -89.5, 45.0},
              {"Greenland", 72.0, -40.0},
              {"Big Island, Hawaii", 19.6, -155.5}};
  for (const auto& p : land) {
    EXPECT_TRUE(mask_->is_land(p.lat, p.lon)) << p.name;
    EXPECT_EQ(mask_->distance_to_land_km(p.lat, p.lon, 10.0), 0.0) << p.name;
  }
}

TEST_F(LandMaskTest, OpenWaterIsSea) {
  const struct {
    const char* name;
    double lat, lon;
  } sea[] = {{"Atlantic off Santa Catarina", -26.16, -44.60},
             {"Pacific", 0.0, -150.0},
             {"Southern Ocean", -60.0, 0.0},
             {"North Pole", 89.9, 0.0},
             {"Pacific at the antimeridian", -30.0, 180.0},
             {"Mediterranean", 35.0, 18.0}};
  for (const auto& p : sea) {
    EXPECT_FALSE(mask_->is_land(p.lat, p.lon)) << p.name;
    EXPECT_FALSE(mask_->distance_to_land_km(p.lat, p.lon, 50.0)) << p.name;
  }
}

TEST_F(LandMaskTest, DistanceToTheCoast) {
  // The Atlantic point is about 230 km from the coast of Sao Paulo/Parana.
  const auto far = mask_->distance_to_land_km(-26.16, -44.60, 500.0);
  ASSERT_TRUE(far);
  EXPECT_GT(*far, 150.0);
  EXPECT_LT(*far, 350.0);
  // 0.05° (about 5 km) east of the coast at Praia Grande, SP.
  const auto near = mask_->distance_to_land_km(-24.05, -46.40, 20.0);
  ASSERT_TRUE(near);
  EXPECT_LT(*near, 20.0);
}

TEST(LandMask, ParsesAPlainTopology) {
  // One unquantized square, 0..10° on both axes.
  const auto mask =
      LandMask::parse(R"({"type":"Topology","arcs":[[[0,0],[10,0],[10,10],[0,10],[0,0]]],
    "objects":{"land":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[0]]}]}}})");
  ASSERT_TRUE(mask) << mask.error().message;
  EXPECT_TRUE(mask->is_land(5.0, 5.0));
  EXPECT_FALSE(mask->is_land(5.0, 15.0));
  EXPECT_FALSE(mask->is_land(5.0, -175.0));
  const auto distance = mask->distance_to_land_km(5.0, 11.0, 500.0);
  ASSERT_TRUE(distance);
  EXPECT_NEAR(*distance, 111.2 * std::cos(5.0 * std::numbers::pi / 180.0), 1.0);
}

TEST(LandMask, RejectsWhatIsNotALandTopology) {
  EXPECT_EQ(LandMask::parse("{").error().code, domain::ErrorCode::invalid_argument);
  EXPECT_FALSE(LandMask::parse(R"({"type":"Topology","arcs":[],"objects":{}})"));
  EXPECT_FALSE(LandMask::parse(
      R"({"type":"Topology","arcs":[],"objects":{"land":{"type":"Polygon","arcs":[[7]]}}})"));
  EXPECT_EQ(LandMask::load("/nonexistent/land.json").error().code, domain::ErrorCode::not_found);
}

}  // namespace
}  // namespace evapo::sources
