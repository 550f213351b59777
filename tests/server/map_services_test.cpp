// What the map needs from the server: a click over the sea refused before anything is queued,
// and place search through Open-Meteo's geocoding (the upstream simulator here), cached.

#include <set>

#include <gtest/gtest.h>

#include <evapo/server/place_search_service.hpp>
#include <evapo/sources/geocoding_client.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/sources/land_mask.hpp>

#include "../support/upstream_simulator.hpp"
#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

std::shared_ptr<const sources::LandMask> land() {
  auto mask = sources::shared_land_mask("");
  if (!mask) throw std::runtime_error(mask.error().message);
  return *mask;
}

std::string body_at(double lat, double lon, const std::string& extra = "") {
  return R"({"latitude":)" + std::to_string(lat) + R"(,"longitude":)" + std::to_string(lon) +
         R"(,"start_date":"2015-01-01","end_date":"2015-01-10")" + extra + "}";
}

TEST(OverSea, APointOverTheSeaIsRefusedWith422AndNothingIsQueued) {
  RunningServer server({}, nullptr, nullptr, {.land = land(), .places = nullptr});
  const auto refused =
      http_post(server.port(), "/api/v1/eto/calculations", body_at(-26.16, -44.60));
  ASSERT_EQ(refused.status, 422U) << refused.body;
  const auto error = refused.json().at("error");
  EXPECT_EQ(error.at("code"), "over_sea");
  const std::string message = error.at("message");
  EXPECT_NE(message.find("over the sea"), std::string::npos) << message;
  EXPECT_NE(message.find("km from the nearest land"), std::string::npos) << message;
  EXPECT_NE(message.find("\"allow_sea\": true"), std::string::npos) << message;
  EXPECT_EQ(error.at("details").at(0).at("field"), "latitude");
  EXPECT_EQ(http_get(server.port(), "/api/v1/tasks").json().at("tasks").size(), 0U);
  // The legacy route refuses it too.
  EXPECT_EQ(http_post(server.port(), "/internal/eto/eto_calculate", body_at(-26.16, -44.60)).status,
            422U);
}

TEST(OverSea, AllowSeaIsAcceptedAndLandIsNeverRefused) {
  RunningServer server({}, nullptr, nullptr, {.land = land(), .places = nullptr});
  server.submit(body_at(-26.16, -44.60, R"(,"allow_sea":true)"));
  server.submit(body_at(-22.725, -47.649));  // Piracicaba
  server.submit(body_at(-24.05, -46.40));    // 5 km off the coast
  const auto typo = http_post(server.port(), "/api/v1/eto/calculations",
                              body_at(-26.16, -44.60, R"(,"allow_sea":"yes")"));
  EXPECT_EQ(typo.status, 422U);
  EXPECT_EQ(typo.json().at("error").at("code"), "VALIDATION_ERROR");
}

class PlaceSearch : public ::testing::Test {
 protected:
  PlaceSearch()
      : config_(sim_.sources_config()),
        http_([this] {
          config_.max_attempts = 1;
          auto options = sources::http_options_from(config_);
          options.rate_limits.clear();
          return options;
        }()),
        places_([this](const sources::PlaceQuery& query) {
          return sources::search_places(query, config_, http_);
        }),
        server_({}, nullptr, nullptr, {.land = nullptr, .places = &places_}) {}

  ::evapo::testing::UpstreamSimulator sim_;
  sources::SourcesConfig config_;
  sources::HttpClient http_;
  PlaceSearchService places_;
  RunningServer server_;
};

TEST_F(PlaceSearch, FindsPlacesInTheUsersLanguageAndRemembersThem) {
  const auto found =
      http_get(server_.port(), "/api/v1/geocoding/search?name=Piracicaba&language=pt&count=5");
  ASSERT_EQ(found.status, 200U) << found.body;
  const auto results = found.json().at("results");
  ASSERT_EQ(results.size(), 1U);
  EXPECT_EQ(results[0].at("name"), "Piracicaba");
  EXPECT_EQ(results[0].at("country"), "Brasil");
  EXPECT_EQ(results[0].at("admin1"), "São Paulo");
  EXPECT_NEAR(results[0].at("latitude").get<double>(), -22.725, 0.01);
  EXPECT_EQ(results[0].at("elevation_m"), 547.0);
  EXPECT_EQ(results[0].at("timezone"), "America/Sao_Paulo");
  const int asked = sim_.requests("geocoding");
  EXPECT_EQ(asked, 1);
  // The same question, differently cased and spaced: answered from the cache.
  const auto again = http_get(server_.port(),
                              "/api/v1/geocoding/search?name=%20piracicaba%20&language=pt&count=5");
  EXPECT_EQ(again.json(), found.json());
  EXPECT_EQ(sim_.requests("geocoding"), asked);
  EXPECT_EQ(places_.lookups(), 1);
  const auto english = http_get(server_.port(), "/api/v1/geocoding/search?name=Piracicaba");
  EXPECT_EQ(english.json().at("results").at(0).at("country"), "Brazil");
  const auto none = http_get(server_.port(), "/api/v1/geocoding/search?name=Zzyzx");
  ASSERT_EQ(none.status, 200U);
  EXPECT_TRUE(none.json().at("results").empty());
}

TEST_F(PlaceSearch, BadParametersAre422WithEveryField) {
  const auto bad =
      http_get(server_.port(), "/api/v1/geocoding/search?name=a&language=Portuguese&count=99");
  ASSERT_EQ(bad.status, 422U);
  const auto body = bad.json();
  std::set<std::string> fields;
  for (const auto& detail : body.at("error").at("details")) fields.insert(detail.at("field"));
  EXPECT_EQ(fields, (std::set<std::string>{"name", "language", "count"}));
  EXPECT_EQ(sim_.requests("geocoding"), 0);
}

TEST_F(PlaceSearch, AnUpstreamFailureIs503AndIsNotRemembered) {
  sim_.set_fault(R"({"source":"geocoding","fault":"status_500","count":1})");
  const auto failed = http_get(server_.port(), "/api/v1/geocoding/search?name=Campinas");
  EXPECT_EQ(failed.status, 503U) << failed.body;
  EXPECT_EQ(failed.json().at("error").at("code"), "UNAVAILABLE");
  const auto retried = http_get(server_.port(), "/api/v1/geocoding/search?name=Campinas");
  ASSERT_EQ(retried.status, 200U) << retried.body;
  EXPECT_EQ(retried.json().at("results").at(0).at("name"), "Campinas");
}

}  // namespace
}  // namespace evapo::server::testing
