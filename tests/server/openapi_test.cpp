// /openapi.json is an OpenAPI 3.1 document that describes exactly the router's routes.

#include <set>

#include <gtest/gtest.h>

#include <evapo/server/openapi_handler.hpp>
#include <evapo/server/place_search_service.hpp>
#include <evapo/server/router.hpp>

#include "ops_server_fixture.hpp"
#include "station_server_fixture.hpp"

namespace evapo::server::testing {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(OpenApi, DocumentAndRouterDescribeTheSameOperations) {
  OpsServer server;  // every route, the operations API's included
  const auto served = http_get(server.port(), "/openapi.json");
  ASSERT_EQ(served.status, 200U);
  const auto document = served.json();
  ASSERT_FALSE(document.is_discarded());
  EXPECT_EQ(document.at("openapi"), "3.1.0");
  EXPECT_EQ(served.body, std::string(openapi_document()));

  std::set<std::string> documented;
  for (const auto& [path, operations] : document.at("paths").items()) {
    for (const auto& [method, operation] : operations.items()) {
      documented.insert(lower(method) + " " + path);
      EXPECT_TRUE(operation.contains("responses")) << method << " " << path;
    }
  }
  std::set<std::string> routed;
  for (const auto& route : server.server().router().routes()) {
    routed.insert(lower(boost::beast::http::to_string(route.method)) + " " + route.pattern);
  }
  StationServer stations;  // and the routes of datasets, sites and workspaces
  for (const auto& route : stations.server().router().routes()) {
    routed.insert(lower(boost::beast::http::to_string(route.method)) + " " + route.pattern);
  }
  // and the place search (answering nothing here)
  PlaceSearchService places(
      [](const sources::PlaceQuery&) { return domain::Expected<std::vector<sources::Place>>{}; });
  RunningServer searching({}, nullptr, nullptr, {.land = nullptr, .places = &places});
  for (const auto& route : searching.server().router().routes()) {
    routed.insert(lower(boost::beast::http::to_string(route.method)) + " " + route.pattern);
  }
  EXPECT_EQ(documented, routed);
}

}  // namespace
}  // namespace evapo::server::testing
