// Calculations run by a real TaskService on the real pipeline against the upstream simulator,
// observed by the CalculationPublisher: one calculation_progress per step, calculation_complete
// with a summary that matches the SUCCESS results, calculation_error for a failure and a cancel,
// an activity item for each end, and the volume counters (cache hits on a repeat).

#include <gtest/gtest.h>
#include <support/upstream_simulator.hpp>

#include <evapo/ops/calculation_publisher.hpp>
#include <evapo/ops/operations.hpp>
#include <evapo/pipeline/pipeline_context.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/storage/weather_cache.hpp>
#include <evapo/tasks/pipeline_calculation.hpp>
#include <evapo/tasks/task_backends.hpp>
#include <evapo/tasks/task_service.hpp>

#include "channel_test_support.hpp"

namespace evapo::ops {
namespace {

using testing::eventually;
using testing::Recorder;
using testing::TempDir;

pipeline::CalculationRequest request_at(double latitude) {
  pipeline::CalculationRequest request;
  request.latitude_deg = latitude;
  request.longitude_deg = -118.78;
  request.start_date = std::chrono::year{2015} / 6 / 1;
  request.end_date = std::chrono::year{2015} / 6 / 10;
  request.elevation_m = 1200.0;
  return request;
}

class CalculationPublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto file = (dir_.path() / "ops.sqlite3").string();
    auto opened = Operations::open({.channel_url = "sqlite://" + file,
                                    .priors_path = file,
                                    .node = "node-a",
                                    .data_dir = dir_.path().string()});
    ASSERT_TRUE(opened) << opened.error().message;
    ops_ = std::move(*opened);
    sources::HttpClientOptions http_options;
    http_options.max_attempts = 1;
    http_ = std::make_unique<sources::HttpClient>(http_options);
    auto context = std::make_shared<pipeline::PipelineContext>();
    context->sources = sim_.sources_config();
    context->http = http_.get();
    auto cache = storage::open_weather_cache("sqlite://" + (dir_.path() / "cache.db").string());
    ASSERT_TRUE(cache) << cache.error().message;
    context->cache = *cache;
    tasks::TaskServiceOptions options;
    options.workers = 1;
    options.calculation = tasks::pipeline_calculation(context);
    options.event_observer = [this](const tasks::TaskEvent& event) {
      ops_->calculations().observe(event);
    };
    auto backends = tasks::open_task_backends(
        {.database_url = "sqlite://" + (dir_.path() / "evapo.sqlite3").string()});
    ASSERT_TRUE(backends) << backends.error().message;
    auto service = tasks::TaskService::open(std::move(options), std::move(*backends));
    ASSERT_TRUE(service) << service.error().message;
    tasks_ = std::move(*service);
    ops_->calculations().set_task_lookup(
        [this](const std::string& id) -> std::optional<tasks::TaskRecord> {
          auto record = tasks_->get(id);
          return record ? *record : std::nullopt;
        });
    subscription_ = *ops_->channel().subscribe(
        TopicSet().add(Topic::calculations).add(Topic::activity), 0, recorder_.handler());
    tasks_->start();
  }

  void TearDown() override {
    if (tasks_) tasks_->stop(std::chrono::milliseconds(0));
  }

  // Submits and waits for the task's terminal event; returns the task's own SUCCESS data or null.
  tasks::TaskRecord run(const pipeline::CalculationRequest& request) {
    auto record = tasks_->submit(request);
    EXPECT_TRUE(record);
    const std::string id = record->id;
    // A first calculation decodes the time-zone index: seconds under ThreadSanitizer on a busy
    // machine, hence a deadline far above what the calculation needs.
    EXPECT_TRUE(eventually(
        [&] {
          auto now = tasks_->get(id);
          return now && *now && tasks::is_terminal((*now)->state);
        },
        std::chrono::minutes(3)));
    return **tasks_->get(id);
  }

  // The channel events about `task_id` (by data.task_ref or activity subject), in order. No
  // event carries the whole id (a task id opens the task's results).
  std::vector<OpsEventPtr> about(const std::string& task_id) const {
    std::vector<OpsEventPtr> out;
    const std::string ref = task_ref(task_id);
    EXPECT_EQ(ref, task_id.substr(0, 12));
    for (const auto& event : recorder_.events()) {
      EXPECT_EQ(event->wire->find(task_id), std::string::npos) << *event->wire;
      const auto data = event->data();
      if (data.value("task_ref", std::string()) == ref ||
          data.value("subject", std::string()) == ref) {
        out.push_back(event);
      }
    }
    return out;
  }

  TempDir dir_{"calculations"};
  evapo::testing::UpstreamSimulator sim_;
  std::unique_ptr<Operations> ops_;
  std::unique_ptr<sources::HttpClient> http_;
  std::unique_ptr<tasks::TaskService> tasks_;
  Recorder recorder_;
  tasks::Subscription subscription_;
};

TEST_F(CalculationPublisherTest, ASuccessIsOneProgressPerStepThenCompleteWithItsSummary) {
  const auto record = run(request_at(39.46));
  ASSERT_EQ(record.state, tasks::TaskState::success);
  ASSERT_TRUE(eventually([&] { return about(record.id).size() == 9; }));
  const auto events = about(record.id);
  std::vector<std::string> steps;
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(events[i]->type, "calculation_progress");
    steps.push_back(events[i]->data()["step"]);
    EXPECT_EQ(events[i]->data()["current_step"], static_cast<int>(i) + 1);
    EXPECT_EQ(events[i]->data()["total_steps"], 7);
  }
  EXPECT_EQ(steps,
            (std::vector<std::string>{"validating", "elevation", "downloading", "preprocessing",
                                      "fusing", "computing_eto", "finalizing"}));
  ASSERT_EQ(events[7]->type, "calculation_complete");
  const auto complete = events[7]->data();
  EXPECT_EQ(complete["state"], "success");
  EXPECT_EQ(complete["latitude"], 39.5);  // to 0.1 degree: where, not whose field
  EXPECT_EQ(complete["longitude"], -118.8);
  EXPECT_EQ(complete["start_date"], "2015-06-01");
  EXPECT_EQ(complete["days"], 10);
  // The summary is the SUCCESS results' own figures.
  double total = 0.0;
  int with_eto = 0;
  for (const auto& day : (*record.result)["results"]) {
    if (day["eto_mm"].is_number()) {
      total += day["eto_mm"].get<double>();
      ++with_eto;
    }
  }
  EXPECT_EQ(complete["days_with_eto"], with_eto);
  // The results print eto_mm to 3 decimals; the summary sums the unrounded values.
  EXPECT_NEAR(complete["eto_total_mm"].get<double>(), total, 0.0005 * with_eto);
  EXPECT_NEAR(complete["eto_mean_mm"].get<double>(), total / with_eto, 0.0005);
  EXPECT_GE(complete["duration_s"].get<double>(), 0.0);
  EXPECT_EQ(complete["attempts"], 1);
  EXPECT_EQ(events[8]->type, "activity");
  EXPECT_EQ(events[8]->data()["kind"], "calculation");
  EXPECT_EQ(events[8]->data()["action"], "succeeded");

  const auto minute = ops_->volume().over_last(60);
  EXPECT_EQ(minute.started, 1);
  EXPECT_EQ(minute.succeeded, 1);
  EXPECT_EQ(minute.days, with_eto);
  EXPECT_EQ(minute.cache_hits, 0);
  EXPECT_GE(minute.cache_lookups, 2);  // NASA POWER and the Open-Meteo archive

  // The same request again: every source from the download cache.
  const auto repeat = run(request_at(39.46));
  ASSERT_EQ(repeat.state, tasks::TaskState::success);
  ASSERT_TRUE(eventually([&] { return ops_->volume().over_last(60).succeeded == 2; }));
  const auto both = ops_->volume().over_last(60);
  EXPECT_EQ(both.cache_hits, both.cache_lookups - minute.cache_lookups);
  EXPECT_EQ(ops_->volume().snapshot()["minute"]["cache_hit_ratio"], 0.5);
}

TEST_F(CalculationPublisherTest, FailureAndCancelAreCalculationErrors) {
  sim_.set_fault(R"({"source":"*","fault":"status_500","count":1000})");
  const auto failed = run(request_at(10.0));
  ASSERT_EQ(failed.state, tasks::TaskState::error);
  ASSERT_TRUE(eventually([&] {
    const auto events = about(failed.id);
    return !events.empty() && events.back()->type == "activity";
  }));
  auto events = about(failed.id);
  const auto& error = events[events.size() - 2];
  EXPECT_EQ(error->type, "calculation_error");
  EXPECT_EQ(error->data()["state"], "error");
  EXPECT_EQ(error->data()["error_code"], "unavailable");
  EXPECT_FALSE(error->data()["error"].get<std::string>().empty());
  EXPECT_EQ(events.back()->data()["action"], "error");
  EXPECT_EQ(ops_->volume().over_last(60).failed, 1);

  // A task cancelled while it waits behind a slow one.
  sim_.clear_faults();
  sim_.set_fault(R"({"source":"*","fault":"delay","delay_ms":3000,"count":4})");
  auto slow = tasks_->submit(request_at(20.0));
  auto queued = tasks_->submit(request_at(21.0));
  ASSERT_TRUE(slow && queued);
  ASSERT_TRUE(tasks_->cancel(queued->id));
  ASSERT_TRUE(eventually([&] {
    const auto about_queued = about(queued->id);
    return about_queued.size() == 2;
  }));
  events = about(queued->id);
  EXPECT_EQ(events[0]->type, "calculation_error");
  EXPECT_EQ(events[0]->data()["state"], "cancelled");
  EXPECT_EQ(events[0]->data()["error_code"], "cancelled");
  EXPECT_EQ(events[1]->data()["action"], "cancelled");
  EXPECT_EQ(ops_->volume().over_last(60).cancelled, 1);
}

TEST(CalculationPublisher, FindsTheSummaryWithoutParsingTheResults) {
  const std::string wire =
      R"({"data":{"location":{"name":"\"summary\":{\"x\":1}"},"results":[{"eto_mm":1}],)"
      R"("summary":{"days":1,"eto_mean_mm":1.5},"warnings":["\"summary\":{"]},"seq":9})";
  const auto summary = success_summary_of(wire);
  ASSERT_TRUE(summary);
  EXPECT_EQ((*summary)["days"], 1);
  EXPECT_EQ((*summary)["eto_mean_mm"], 1.5);
  EXPECT_FALSE(success_summary_of(R"({"data":{"results":[]}})").has_value());
}

}  // namespace
}  // namespace evapo::ops
