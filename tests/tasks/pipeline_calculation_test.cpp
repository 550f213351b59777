#include <gtest/gtest.h>

#include <evapo/tasks/pipeline_calculation.hpp>
#include <evapo/tasks/task_service.hpp>

#include "test_support.hpp"

namespace evapo::tasks {
namespace {

TEST(PipelineCalculation, SuccessDataNamesTheDaysResults) {
  pipeline::CalculationResult result;
  result.location = {39.5, -118.8, 1200.0};
  result.elevation_source = "user";
  result.warnings = {pipeline::warning::source_no_data(domain::SourceId::nws)};
  pipeline::DailyResult day;
  day.date = std::chrono::year{2015} / 7 / 1;
  day.eto_mm = 7.5;
  result.days = {day, day};
  const auto data = success_data(result);
  ASSERT_TRUE(data["results"].is_array());
  EXPECT_EQ(data["results"].size(), 2U);
  EXPECT_EQ(data["results"][0]["date"], "2015-07-01");
  EXPECT_EQ(data["results"][0]["eto_mm"], 7.5);
  ASSERT_EQ(data["warnings"].size(), 1U);
  EXPECT_EQ(data["warnings"][0]["code"], "source_no_data");
  EXPECT_EQ(data["warnings"][0]["params"]["source"], "nws");
  EXPECT_EQ(data["warnings"][0]["message"], "nws: no usable days");
  EXPECT_EQ(data["location"]["latitude"], 39.5);
  EXPECT_FALSE(data.contains("days"));
}

TEST(PipelineCalculation, SuccessSummaryCountsOnlyDaysWithAnEto) {
  pipeline::CalculationResult result;
  result.location = {39.5, -118.8, 1200.0};
  pipeline::DailyResult day;
  day.date = std::chrono::year{2015} / 7 / 1;
  day.eto_mm = 7.5;
  pipeline::DailyResult other = day;
  other.date = std::chrono::year{2015} / 7 / 2;
  other.eto_mm = 2.5;
  pipeline::DailyResult missing;  // eto_mm NaN
  missing.date = std::chrono::year{2015} / 7 / 3;
  result.days = {day, other, missing};
  const auto summary = success_data(result)["summary"];
  EXPECT_EQ(summary["start_date"], "2015-07-01");
  EXPECT_EQ(summary["end_date"], "2015-07-03");
  EXPECT_EQ(summary["latitude"], 39.5);
  EXPECT_EQ(summary["longitude"], -118.8);
  EXPECT_EQ(summary["days"], 3);
  EXPECT_EQ(summary["days_with_eto"], 2);
  EXPECT_DOUBLE_EQ(summary["eto_total_mm"].get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(summary["eto_mean_mm"].get<double>(), 5.0);
  result.days = {missing};
  EXPECT_TRUE(success_summary(result)["eto_mean_mm"].is_null());
}

// The real pipeline behind the task service: a context without an HTTP client is an internal
// error, which must reach subscribers as an ERROR event after the first step.
TEST(PipelineCalculation, PipelineErrorsBecomeErrorEvents) {
  auto context = std::make_shared<pipeline::PipelineContext>();
  TaskServiceOptions options;
  options.workers = 1;
  options.calculation = pipeline_calculation(context);
  auto service = testing::open_service(std::move(options), testing::temp_db_path());
  ASSERT_TRUE(service) << service.error().message;
  (*service)->start();
  auto submitted = (*service)->submit(testing::sample_request());
  ASSERT_TRUE(submitted);
  testing::EventCollector collector;
  auto subscription = (*service)->subscribe(submitted->id, 0, collector.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(collector.wait_for_terminal());
  const auto events = collector.events();
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].data()["step"], "validating");
  EXPECT_EQ(events[1].type, EventType::error);
  EXPECT_EQ(events[1].data()["error_code"], "internal");
}

}  // namespace
}  // namespace evapo::tasks
