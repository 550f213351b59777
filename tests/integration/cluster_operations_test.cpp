// Issues 13 and 14 in the distributed mode, with real processes (cluster.hpp): a subscriber of
// one serve node's /ws/events sees the calculations a worker runs and the uploads another serve
// node takes; a dataset uploaded through one node is listed through the other and its ETo is
// computed by the worker from the shared PostgreSQL store.

#include <chrono>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "../server/ops_server_fixture.hpp"
#include "cluster.hpp"

namespace evapo::testing {
namespace {

using server::testing::http_call;
using server::testing::http_get;
using server::testing::HttpResult;
using server::testing::OpsEventsClient;
namespace http = boost::beast::http;

constexpr const char* kDaily =
    "date,tmax_c,tmin_c,tdew_c,rs_mj_m2,wind_m_s\n"
    "2015-07-01,33.1,12.4,5.2,29.1,2.9\n"
    "2015-07-02,34.0,13.0,6.0,28.7,3.1\n"
    "2015-07-03,31.5,14.2,7.1,27.9,2.4\n";

nlohmann::json wait_for_task(std::uint16_t port, const std::string& id) {
  nlohmann::json task;
  wait_until(
      [&] {
        task = http_get(port, "/api/v1/tasks/" + id).json();
        const std::string status = task.value("status", "");
        return status != "queued" && status != "processing" && !status.empty();
      },
      std::chrono::seconds(120));
  return task;
}

TEST(ClusterOperations, EveryNodesEventsAndStationDataReachEveryNode) {
  Cluster cluster({.nodes = 2, .workers = 1, .step_delay_ms = 20});
  OpsEventsClient events(cluster.port(1), "/ws/events?topics=calculations,uploads,datasets");

  // A calculation submitted on node 0 and run by the worker.
  const auto submitted = http_call(
      cluster.port(0), http::verb::post, "/api/v1/eto/calculations",
      R"({"latitude":39.46,"longitude":-118.78,"start_date":"2015-06-01","end_date":"2015-06-07"})");
  ASSERT_EQ(submitted.status, 202U) << submitted.body;
  const std::string id = submitted.json()["task_id"];
  const auto calculation = events.until([&](const nlohmann::json& event) {
    return event["type"] == "calculation_complete" && event["data"]["task_ref"] == id.substr(0, 12);
  });
  ASSERT_FALSE(calculation.empty());
  ASSERT_EQ(calculation.back()["type"], "calculation_complete");
  const std::string worker_node = calculation.back()["node"];

  // A station file uploaded through node 0, listed and computed through node 1.
  const auto created = http_call(cluster.port(0), http::verb::post, "/api/v1/workspaces", "{}");
  ASSERT_EQ(created.status, 201U) << created.body;
  const std::string key = created.json()["key"];
  const std::map<std::string, std::string> bearer{{"Authorization", "Bearer " + key}};
  auto upload_headers = bearer;
  upload_headers["Content-Type"] = "text/csv";
  const auto uploaded =
      http_call(cluster.port(0), http::verb::post,
                "/api/v1/datasets?latitude_deg=39.46&elevation_m=1208", kDaily, upload_headers);
  ASSERT_EQ(uploaded.status, 201U) << uploaded.body;
  const std::string dataset = uploaded.json()["id"];
  const auto stored = events.until([&](const nlohmann::json& event) {
    return event["type"] == "dataset_created" && event["data"]["dataset_id"] == dataset;
  });
  ASSERT_FALSE(stored.empty());
  EXPECT_EQ(stored.back()["type"], "dataset_created");
  const std::string upload_node = stored.back()["node"];
  EXPECT_NE(upload_node, worker_node);  // two other processes' events on node 1's socket

  const auto listed = http_call(cluster.port(1), http::verb::get, "/api/v1/datasets", {}, bearer);
  ASSERT_EQ(listed.status, 200U);
  ASSERT_EQ(listed.json()["datasets"].size(), 1U);
  auto json_headers = bearer;
  json_headers["Content-Type"] = "application/json";
  const auto queued =
      http_call(cluster.port(1), http::verb::post, "/api/v1/datasets/" + dataset + "/calculations",
                R"({"method":"fao56"})", json_headers);
  ASSERT_EQ(queued.status, 202U) << queued.body;
  const auto task = wait_for_task(cluster.port(0), queued.json()["task_id"]);
  ASSERT_EQ(task.value("status", ""), "success") << task.dump();
  const auto& rows = task["result"]["results"];
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0]["date"], "2015-07-01");
  EXPECT_TRUE(rows[0]["eto_mm"].is_number());
}

}  // namespace
}  // namespace evapo::testing
