// A weather source driven healthy -> down -> healthy through the upstream simulator's fault
// injection, through the real NASA POWER client and HTTP layer: exactly two health_change
// events on the channel, in that order, each with an activity item.

#include <gtest/gtest.h>
#include <support/upstream_simulator.hpp>

#include <evapo/domain/date.hpp>
#include <evapo/ops/operations.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/sources/nasa_power_client.hpp>

#include "channel_test_support.hpp"

namespace evapo::ops {
namespace {

using testing::eventually;
using testing::Recorder;
using testing::TempDir;

class SourceHealthThroughTheSimulator : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened =
        Operations::open({.channel_url = "sqlite://" + (dir_.path() / "ops.sqlite3").string(),
                          .priors_path = (dir_.path() / "ops.sqlite3").string(),
                          .node = "node-a",
                          .data_dir = dir_.path().string(),
                          .sources = {{"nasa_power", true}, {"nws", false}}});
    ASSERT_TRUE(opened) << opened.error().message;
    ops_ = std::move(*opened);
    sources::HttpClientOptions options;
    options.max_attempts = 1;  // one attempt per fetch: the test counts them
    http_ = std::make_unique<sources::HttpClient>(options);
    http_->attempts().set_listener(
        [this](const sources::UpstreamAttempt& attempt) { ops_->sources().on_attempt(attempt); });
    NodeProbes probes;
    probes.upstream_window = [this] {
      return http_->attempts().snapshot(std::chrono::system_clock::now());
    };
    probes.upstream_totals = [this] { return http_->counters(); };
    ops_->set_probes(probes);
    ops_->start();
    config_ = sim_.sources_config();
  }

  bool fetch_once() {
    sources::FetchRequest request;
    request.location = {39.46, -118.78, 1200.0};
    request.start_date = *domain::parse_iso_date("2015-06-0" + std::to_string(1 + (day_++ % 9)));
    request.end_date = request.start_date;
    return sources::fetch_nasa_power(request, config_, *http_, {}).has_value();
  }

  TempDir dir_{"source_health"};
  evapo::testing::UpstreamSimulator sim_;
  sources::SourcesConfig config_;
  std::unique_ptr<Operations> ops_;
  std::unique_ptr<sources::HttpClient> http_;
  int day_ = 0;
};

TEST_F(SourceHealthThroughTheSimulator, HealthyDownHealthyIsExactlyTwoHealthChanges) {
  Recorder health;
  Recorder activity;
  auto health_subscription =
      ops_->channel().subscribe(TopicSet().add(Topic::health), 0, health.handler());
  auto activity_subscription =
      ops_->channel().subscribe(TopicSet().add(Topic::activity), 0, activity.handler());
  ASSERT_TRUE(health_subscription && activity_subscription);

  // From its first attempt the source fails: judged at the 5th, 5 of 5 failed is down.
  sim_.set_fault(R"({"source":"nasa_power","fault":"status_500","count":5})");
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(fetch_once());
  ASSERT_TRUE(eventually([&] { return health.size() == 1; }));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(fetch_once());
  ASSERT_TRUE(eventually([&] { return health.size() == 2; }));
  // Nothing else comes: more successes change nothing.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(fetch_once());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(health.size(), 2U);

  const auto events = health.events();
  const auto down = events[0]->data();
  EXPECT_EQ(events[0]->type, "health_change");
  EXPECT_EQ(down["kind"], "source");
  EXPECT_EQ(down["name"], "nasa_power");
  EXPECT_EQ(down["state"], "down");
  EXPECT_EQ(down["previous"], "healthy");
  EXPECT_EQ(down["reason"], "failed_share");
  EXPECT_DOUBLE_EQ(down["detail"]["failed_share"].get<double>(), 1.0);
  EXPECT_EQ(down["detail"]["attempts"], 5);
  const auto up = events[1]->data();
  EXPECT_EQ(up["state"], "healthy");
  EXPECT_EQ(up["previous"], "down");
  EXPECT_EQ(up["reason"], "recovered");

  std::vector<std::string> health_items;
  for (const auto& event : activity.events()) {
    const auto data = event->data();
    if (data["kind"] == "health")
      health_items.push_back(data["action"].get<std::string>() + " " +
                             data["subject"].get<std::string>());
  }
  EXPECT_EQ(health_items,
            (std::vector<std::string>{"down source:nasa_power", "healthy source:nasa_power"}));

  // The board and source_status say the same.
  auto overview = ops_->overview();
  ASSERT_TRUE(overview);
  bool found = false;
  for (const auto& component : (*overview)["health"]) {
    if (component["kind"] == "source" && component["name"] == "nasa_power") {
      found = true;
      EXPECT_EQ(component["state"], "healthy");
    }
  }
  EXPECT_TRUE(found);
  for (const auto& status : (*overview)["sources"]) {
    if (status["source"] != "nasa_power") continue;
    EXPECT_EQ(status["enabled"], true);
    EXPECT_EQ(status["attempts"], 15);
    EXPECT_EQ(status["failures"], 5);
    EXPECT_EQ(status["requests_total"], 15);
    EXPECT_GT(status["latency_p95_ms"].get<double>(), 0.0);
    EXPECT_GE(status["latency_p95_ms"].get<double>(), status["latency_p50_ms"].get<double>());
  }
}

// With successes before the failures, the share climbs through 10 % first: the source is degraded
// on the way down, and comes straight back to healthy after five successes in a row.
TEST_F(SourceHealthThroughTheSimulator, AHealthyHistoryPassesThroughDegradedOnTheWayDown) {
  Recorder health;
  auto subscription = ops_->channel().subscribe(TopicSet().add(Topic::health), 0, health.handler());
  ASSERT_TRUE(subscription);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(fetch_once());
  sim_.set_fault(R"({"source":"nasa_power","fault":"status_500","count":10})");
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(fetch_once());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(fetch_once());
  ASSERT_TRUE(eventually([&] { return health.size() == 3; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::vector<std::string> states;
  for (const auto& event : health.events()) states.push_back(event->data()["state"]);
  EXPECT_EQ(states, (std::vector<std::string>{"degraded", "down", "healthy"}));
}

}  // namespace
}  // namespace evapo::ops
