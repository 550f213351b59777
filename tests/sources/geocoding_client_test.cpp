// Open-Meteo geocoding: the recorded-format bodies of tests/data/geocoding/ and the live path
// through the upstream simulator.

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>
#include <support/upstream_simulator.hpp>

#include <evapo/sources/geocoding_client.hpp>
#include <evapo/sources/http_client.hpp>

namespace evapo::sources {
namespace {

std::string read_data(const std::string& name) {
  const std::string path = std::string(EVAPO_SOURCE_DIR) + "/tests/data/geocoding/" + name;
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("missing " + path);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(Geocoding, ParsesARecordedAnswer) {
  const auto places = parse_geocoding(read_data("search_rio_de_janeiro_en.json"));
  ASSERT_TRUE(places) << places.error().message;
  ASSERT_EQ(places->size(), 1U);
  const Place& rio = places->front();
  EXPECT_EQ(rio.id, 3451190);
  EXPECT_EQ(rio.name, "Rio de Janeiro");
  EXPECT_DOUBLE_EQ(rio.latitude_deg, -22.90642);
  EXPECT_DOUBLE_EQ(rio.longitude_deg, -43.18223);
  EXPECT_DOUBLE_EQ(rio.elevation_m, 12.0);
  EXPECT_EQ(rio.feature_code, "PPLA");
  EXPECT_EQ(rio.country_code, "BR");
  EXPECT_EQ(rio.country, "Brazil");
  EXPECT_EQ(rio.admin1, "Rio de Janeiro");
  EXPECT_EQ(rio.admin2, "Rio de Janeiro");
  EXPECT_EQ(rio.timezone, "America/Sao_Paulo");
  EXPECT_EQ(rio.population, 6747815);
}

TEST(Geocoding, NoResultsKeyMeansNothingFound) {
  const auto places = parse_geocoding(read_data("search_no_results.json"));
  ASSERT_TRUE(places) << places.error().message;
  EXPECT_TRUE(places->empty());
}

TEST(Geocoding, ErrorBodiesAndOtherShapesAreUpstreamErrors) {
  const auto error = parse_geocoding(read_data("search_error_400_count.json"));
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().code, domain::ErrorCode::upstream);
  EXPECT_NE(error.error().message.find("between 1 and 100"), std::string::npos);
  for (const char* bad : {"[]", "{\"results\":{}}", "{\"results\":[{\"name\":\"x\"}]}",
                          "{\"results\":[{\"latitude\":\"1\",\"longitude\":2}]}", "<html>"}) {
    EXPECT_FALSE(parse_geocoding(bad)) << bad;
  }
}

TEST(Geocoding, UrlEncodesTheName) {
  EXPECT_EQ(geocoding_url("https://geocoding-api.open-meteo.com",
                          {.name = "São Paulo & co", .language = "pt", .count = 5}),
            "https://geocoding-api.open-meteo.com/v1/search?name=S%C3%A3o%20Paulo%20%26%20co"
            "&count=5&language=pt&format=json");
}

TEST(Geocoding, SearchesTheSimulator) {
  testing::UpstreamSimulator sim;
  auto config = sim.sources_config();
  HttpClient http(http_options_from(config));
  auto places = search_places({.name = "pira", .language = "pt", .count = 5}, config, http);
  ASSERT_TRUE(places) << places.error().message;
  ASSERT_EQ(places->size(), 1U);
  EXPECT_EQ(places->front().name, "Piracicaba");
  EXPECT_EQ(places->front().country, "Brasil");
  auto none = search_places({.name = "Xyzzy", .language = "en", .count = 5}, config, http);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto refused = search_places({.name = "Berlin", .language = "en", .count = 0}, config, http);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, domain::ErrorCode::upstream);
  EXPECT_NE(refused.error().message.find("count must be between 1 and 100"), std::string::npos);
}

}  // namespace
}  // namespace evapo::sources
