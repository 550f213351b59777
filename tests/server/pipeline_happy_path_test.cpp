// End to end with the real pipeline: evapo serve's workers download from the local upstream
// simulator (tools/upstream_simulator), fuse and compute; the client sees every step and a
// SUCCESS with one row per day.

#include <set>

#include <gtest/gtest.h>

#include <evapo/pipeline/pipeline_context.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/tasks/pipeline_calculation.hpp>

#include "../support/upstream_simulator.hpp"
#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

TEST(ServerPipeline, RealPipelineAgainstTheSimulatorStreamsEveryStepThenSuccess) {
  evapo::testing::UpstreamSimulator simulator;
  auto context = std::make_shared<pipeline::PipelineContext>();
  context->sources = simulator.sources_config();
  sources::HttpClient http(sources::http_options_from(context->sources));
  context->http = &http;
  RunningServer server({}, nullptr, tasks::pipeline_calculation(context));

  const std::string id = server.submit(
      R"({"latitude":39.46,"longitude":-118.78,"start_date":"2015-01-01","end_date":"2015-12-31"})");
  WsClient ws(server.port(), "/ws/task_status/" + id);
  const auto events = ws.read_all(std::chrono::seconds(60));
  EXPECT_EQ(ws.close_code(), 1000);
  ASSERT_FALSE(events.empty());
  std::vector<std::int64_t> expected;
  for (std::size_t i = 1; i <= events.size(); ++i) expected.push_back(static_cast<std::int64_t>(i));
  EXPECT_EQ(seqs(events), expected);
  std::set<std::string> steps;
  for (const auto& event : events) {
    if (event.at("type") == "PROGRESS")
      steps.insert(event.at("data").at("step").get<std::string>());
  }
  EXPECT_EQ(steps.size(), static_cast<std::size_t>(pipeline::kTotalSteps));
  const auto& last = events.back();
  ASSERT_EQ(last.at("type"), "SUCCESS") << last.dump();
  const auto& results = last.at("data").at("results");
  ASSERT_EQ(results.size(), 365U);
  EXPECT_EQ(results[0].at("date"), "2015-01-01");
  EXPECT_TRUE(results[0].at("eto_mm").is_number());
  EXPECT_TRUE(last.at("data").contains("location"));
  EXPECT_GT(simulator.stats()["requests"].size(), 0U);

  const auto metrics = http_get(server.port(), "/metrics").body;
  EXPECT_NE(metrics.find(R"(evapo_tasks{state="success"} 1)"), std::string::npos);
}

}  // namespace
}  // namespace evapo::server::testing
