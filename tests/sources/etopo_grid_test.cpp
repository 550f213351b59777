#include <cstdlib>

#include <gtest/gtest.h>

#include <evapo/sources/elevation.hpp>
#include <evapo/sources/etopo_grid.hpp>

namespace evapo::sources {
namespace {

std::shared_ptr<const EtopoGrid> grid() {
  auto loaded = shared_etopo_grid(std::string(EVAPO_SOURCE_DIR) + "/share/evapo/etopo20.cdf");
  EXPECT_TRUE(loaded) << loaded.error().message;
  return loaded ? *loaded : nullptr;
}

TEST(EtopoGrid, ReadsTheNetcdfLayout) {
  const auto g = grid();
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->columns(), 1081U);
  EXPECT_EQ(g->rows(), 540U);
}

// Spot checks of weather-apis.md C1 (nearest cell), and bilinear values within the 20'
// grid's ~100 m smoothing of them.
struct Spot {
  const char* name;
  double lat, lon, nearest_m;
};

TEST(EtopoGrid, SpotChecks) {
  const auto g = grid();
  ASSERT_NE(g, nullptr);
  for (const Spot& s :
       {Spot{"Fallon", 39.4575, -118.7767, 1206.5}, Spot{"Denver", 39.7392, -104.9903, 1619.2},
        Spot{"Brasilia", -15.7939, -47.8828, 992.1}, Spot{"La Paz", -16.4897, -68.1193, 4348.1}}) {
    EXPECT_NEAR(g->nearest_elevation_m(s.lat, s.lon), s.nearest_m, 0.5) << s.name;
    EXPECT_NEAR(g->elevation_m(s.lat, s.lon), s.nearest_m, 150.0) << s.name;
    EXPECT_GT(g->elevation_m(s.lat, s.lon), 0.0) << s.name;
  }
  EXPECT_LT(g->elevation_m(0.0, -140.0), -3000.0);        // central Pacific
  EXPECT_LT(g->elevation_m(-12.46113, -130.84184), 0.0);  // the recorded ocean point
}

TEST(EtopoGrid, LongitudesWrapAndPolesClamp) {
  const auto g = grid();
  ASSERT_NE(g, nullptr);
  EXPECT_DOUBLE_EQ(g->elevation_m(10.0, -170.0), g->elevation_m(10.0, 190.0));
  EXPECT_DOUBLE_EQ(g->elevation_m(10.0, 180.0), g->elevation_m(10.0, -180.0));
  EXPECT_GT(g->elevation_m(-90.0, 0.0), 2000.0);  // Antarctic plateau
  EXPECT_LT(g->elevation_m(90.0, 0.0), 0.0);      // Arctic Ocean
}

TEST(EtopoGrid, MissingOrForeignFilesAreErrors) {
  const auto missing = EtopoGrid::load("/nonexistent/etopo.cdf");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, domain::ErrorCode::not_found);
  const auto foreign = EtopoGrid::load(std::string(EVAPO_SOURCE_DIR) + "/CMakeLists.txt");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, domain::ErrorCode::upstream);
}

TEST(EtopoGrid, FoundInTheSourceTreeWithoutConfiguration) {
  EXPECT_FALSE(find_etopo_path("").empty());
  EXPECT_TRUE(find_etopo_path("/nonexistent/file.cdf").empty());
  setenv("EVAPO_ETOPO_PATH", "/nonexistent/env.cdf", 1);
  EXPECT_TRUE(find_etopo_path("").empty());
  const std::string bundled = std::string(EVAPO_SOURCE_DIR) + "/share/evapo/etopo20.cdf";
  setenv("EVAPO_ETOPO_PATH", bundled.c_str(), 1);
  EXPECT_EQ(find_etopo_path(""), bundled);
  unsetenv("EVAPO_ETOPO_PATH");
}

}  // namespace
}  // namespace evapo::sources
