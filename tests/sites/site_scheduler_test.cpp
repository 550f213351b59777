// The once-a-day rule with a fake clock: a site runs when its local time comes, once per local
// day however many nodes tick (two schedulers on one store file), catches up after downtime with
// a window wide enough, and its history keeps observed days over forecasts.

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <evapo/domain/date.hpp>
#include <evapo/sites/site_scheduler.hpp>
#include <evapo/sites/site_settings.hpp>
#include <evapo/storage/workspace_stores.hpp>

namespace evapo::sites {
namespace {

using Clock = std::chrono::system_clock;
using namespace std::chrono_literals;

Clock::time_point utc(const std::string& text) {
  return *domain::parse_iso_utc_millis(text);
}

// A task service stand-in: remembers what was submitted and lets the test finish tasks.
class FakeTasks {
 public:
  SchedulerTasks hooks() {
    return {
        .submit =
            [this](const pipeline::CalculationRequest& request) -> domain::Expected<std::string> {
          std::lock_guard lock(mutex_);
          const std::string id = "task" + std::to_string(requests_.size());
          requests_.push_back(request);
          tasks::TaskRecord record;
          record.id = id;
          record.state = tasks::TaskState::queued;
          records_[id] = record;
          return id;
        },
        .get = [this](const std::string& id) -> domain::Expected<std::optional<tasks::TaskRecord>> {
          std::lock_guard lock(mutex_);
          const auto found = records_.find(id);
          if (found == records_.end()) return std::optional<tasks::TaskRecord>{};
          return std::optional<tasks::TaskRecord>{found->second};
        }};
  }

  // Ends every task with one result day per day of its request, ETo = `eto_mm`.
  void succeed_all(double eto_mm) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < requests_.size(); ++i) {
      auto& record = records_["task" + std::to_string(i)];
      if (tasks::is_terminal(record.state)) continue;
      nlohmann::json results = nlohmann::json::array();
      for (auto day = requests_[i].start_date; day <= requests_[i].end_date;
           day = domain::add_days(day, 1)) {
        results.push_back({{"date", domain::format_iso_date(day)},
                           {"eto_mm", eto_mm},
                           {"quality", "high"},
                           {"sources", {"nasa_power"}}});
      }
      record.state = tasks::TaskState::success;
      record.result = nlohmann::json{{"results", results}};
    }
  }

  std::vector<pipeline::CalculationRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  std::mutex mutex_;
  std::vector<pipeline::CalculationRequest> requests_;
  std::map<std::string, tasks::TaskRecord> records_;
};

class SiteSchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("evapo_sites_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    url_ = "sqlite://" + (dir_ / "w.sqlite3").string();
    auto stores = storage::open_workspace_stores(url_);
    ASSERT_TRUE(stores.has_value()) << stores.error().message;
    store_ = stores->sites;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A site at Fallon (UTC-8), run at 06:00 local, created at `created`.
  std::string add_site(const std::string& created, const std::string& modes = R"(["recent"])") {
    auto settings = parse_new_site(nlohmann::json::parse(
        R"({"name":"Fallon","latitude":39.46,"longitude":-118.78,"schedule":{"local_time":"06:00","utc_offset_minutes":-480},"modes":)" +
        modes + "}"));
    EXPECT_TRUE(settings.has_value());
    const std::string id = "site" + std::to_string(++sites_);
    EXPECT_TRUE(store_
                    ->create({.id = id,
                              .workspace_id = "w",
                              .settings_json = to_json(*settings).dump(),
                              .created_at = created,
                              .updated_at = created})
                    .has_value());
    return id;
  }

  SiteScheduler scheduler(const std::string& node) {
    SchedulerOptions options;
    options.node = node;
    auto stores = storage::open_workspace_stores(url_);  // each node its own connection
    return SiteScheduler(stores->sites, tasks_.hooks(), options);
  }

  std::filesystem::path dir_;
  std::string url_;
  std::shared_ptr<storage::SiteStore> store_;
  FakeTasks tasks_;
  int sites_ = 0;
};

TEST_F(SiteSchedulerTest, RunsOncePerLocalDayAtItsLocalTime) {
  const auto site = add_site("2026-03-01T10:00:00.000Z");  // 02:00 local
  auto node = scheduler("a");
  // 05:59 local (13:59 UTC): not yet.
  EXPECT_EQ(node.tick(utc("2026-03-01T13:59:00.000Z"))->claimed, 0);
  EXPECT_TRUE(tasks_.requests().empty());
  // 06:00 local: the day's run, the 7 days ending today.
  EXPECT_EQ(node.tick(utc("2026-03-01T14:00:00.000Z"))->claimed, 1);
  ASSERT_EQ(tasks_.requests().size(), 1U);
  EXPECT_EQ(tasks_.requests()[0].mode, pipeline::Mode::recent);
  EXPECT_EQ(domain::format_iso_date(tasks_.requests()[0].end_date), "2026-03-01");
  EXPECT_EQ(domain::format_iso_date(tasks_.requests()[0].start_date), "2026-02-23");
  // Later the same local day (even 23:59): nothing more.
  EXPECT_EQ(node.tick(utc("2026-03-02T07:59:00.000Z"))->claimed, 0);
  // The next local day at 06:00.
  EXPECT_EQ(node.tick(utc("2026-03-02T14:00:00.000Z"))->claimed, 1);
  EXPECT_EQ(tasks_.requests().size(), 2U);
  const auto last = store_->last_run(site);
  ASSERT_TRUE(last.has_value() && *last);
  EXPECT_EQ((*last)->local_date, "2026-03-02");
  EXPECT_EQ((*last)->node, "a");
}

TEST_F(SiteSchedulerTest, TwoNodesTickingTogetherSubmitOnce) {
  for (int i = 0; i < 5; ++i) add_site("2026-03-01T00:00:00.000Z");
  auto a = scheduler("a");
  auto b = scheduler("b");
  const auto now = utc("2026-03-01T15:00:00.000Z");
  std::atomic<int> claimed{0};
  std::thread first([&] {
    for (int i = 0; i < 20; ++i) claimed += a.tick(now)->claimed;
  });
  std::thread second([&] {
    for (int i = 0; i < 20; ++i) claimed += b.tick(now)->claimed;
  });
  first.join();
  second.join();
  EXPECT_EQ(claimed.load(), 5);
  EXPECT_EQ(tasks_.requests().size(), 5U);
}

TEST_F(SiteSchedulerTest, CatchesUpMissedDaysWithAWiderWindow) {
  const auto site = add_site("2026-03-01T00:00:00.000Z");
  auto node = scheduler("a");
  EXPECT_EQ(node.tick(utc("2026-03-01T15:00:00.000Z"))->claimed, 1);
  // Down from the 2nd to the 10th: one run on the 10th covering the days since the 1st.
  EXPECT_EQ(node.tick(utc("2026-03-10T15:00:00.000Z"))->claimed, 1);
  ASSERT_EQ(tasks_.requests().size(), 2U);
  EXPECT_EQ(
      domain::days_between(tasks_.requests()[1].start_date, tasks_.requests()[1].end_date) + 1, 14);
  // Before today's run time after downtime: yesterday's run is caught up at once.
  EXPECT_EQ(node.tick(utc("2026-03-12T10:00:00.000Z"))->claimed, 1);
  EXPECT_EQ((*store_->last_run(site))->local_date, "2026-03-11");
}

TEST_F(SiteSchedulerTest, NoRunForDaysBeforeTheSiteExisted) {
  add_site("2026-03-01T12:00:00.000Z");  // 04:00 local, before the 06:00 run time
  auto node = scheduler("a");
  EXPECT_EQ(node.tick(utc("2026-03-01T12:30:00.000Z"))->claimed, 0);
  EXPECT_EQ(node.tick(utc("2026-03-01T14:00:00.000Z"))->claimed, 1);
}

TEST_F(SiteSchedulerTest, HistoryKeepsObservedDaysOverForecasts) {
  const auto site = add_site("2026-03-01T00:00:00.000Z", R"(["recent","forecast"])");
  auto node = scheduler("a");
  ASSERT_EQ(node.tick(utc("2026-03-01T15:00:00.000Z"))->claimed, 1);
  ASSERT_EQ(tasks_.requests().size(), 2U);                             // recent and forecast
  EXPECT_EQ(node.tick(utc("2026-03-01T15:01:00.000Z"))->finished, 0);  // still running
  tasks_.succeed_all(4.0);
  EXPECT_EQ(node.tick(utc("2026-03-01T15:02:00.000Z"))->finished, 1);
  auto days = store_->history(site, "");
  ASSERT_TRUE(days.has_value());
  ASSERT_EQ(days->size(), 12U);  // 02-23 .. 03-06
  EXPECT_EQ(days->front().kind, "observed");
  EXPECT_EQ(days->back().kind, "forecast");
  // The next day: 03-01 observed now replaces the forecast; forecasts never replace observed.
  ASSERT_EQ(node.tick(utc("2026-03-02T15:00:00.000Z"))->claimed, 1);
  tasks_.succeed_all(5.0);
  ASSERT_EQ(node.tick(utc("2026-03-02T15:01:00.000Z"))->finished, 1);
  days = store_->history(site, "2026-03-01");
  ASSERT_TRUE(days.has_value());
  EXPECT_EQ((*days)[0].date, "2026-03-01");
  EXPECT_EQ((*days)[0].kind, "observed");
  EXPECT_EQ((*days)[0].eto_mm, 5.0);
  EXPECT_EQ((*days)[1].kind, "forecast");
}

TEST(SiteSchedule, NextRunIsTheRunTimeAfterTheLastRun) {
  auto settings = parse_new_site(nlohmann::json::parse(
      R"({"latitude":-22.7,"longitude":-47.6,"schedule":{"local_time":"07:30","utc_offset_minutes":-180}})"));
  ASSERT_TRUE(settings.has_value());
  const auto now = utc("2026-05-10T12:00:00.000Z");  // 09:00 local
  const auto zone = site_time_zone(*settings);
  EXPECT_EQ(zone.name(), "UTC-03:00");
  EXPECT_EQ(domain::format_iso_utc_millis(next_run_at(*settings, zone, std::nullopt, now)),
            "2026-05-10T10:30:00.000Z");
  EXPECT_EQ(domain::format_iso_utc_millis(
                next_run_at(*settings, zone, domain::parse_iso_date("2026-05-10"), now)),
            "2026-05-11T10:30:00.000Z");
}

TEST(SiteSchedule, WithoutAnOffsetTheRunTimeIsThePointsWallClockAcrossDaylightSaving) {
  auto settings = parse_new_site(nlohmann::json::parse(
      R"({"latitude":39.46,"longitude":-118.78,"schedule":{"local_time":"06:00"}})"));
  ASSERT_TRUE(settings.has_value());
  EXPECT_FALSE(settings->utc_offset_minutes.has_value());
  const auto zone = site_time_zone(*settings);
  EXPECT_EQ(zone.name(), "America/Los_Angeles");
  // 06:00 PST (UTC-8) in January, 06:00 PDT (UTC-7) in July, and on the spring-forward day.
  EXPECT_EQ(domain::format_iso_utc_millis(
                run_time(*settings, zone, *domain::parse_iso_date("2026-01-15"))),
            "2026-01-15T14:00:00.000Z");
  EXPECT_EQ(domain::format_iso_utc_millis(
                run_time(*settings, zone, *domain::parse_iso_date("2026-07-15"))),
            "2026-07-15T13:00:00.000Z");
  EXPECT_EQ(domain::format_iso_utc_millis(
                run_time(*settings, zone, *domain::parse_iso_date("2026-03-08"))),
            "2026-03-08T13:00:00.000Z");
  // 05:59 local on 2026-07-15 is still the day before's run; 06:00 is that day's.
  EXPECT_EQ(domain::format_iso_date(due_date(*settings, zone, utc("2026-07-15T12:59:00.000Z"))),
            "2026-07-14");
  EXPECT_EQ(domain::format_iso_date(due_date(*settings, zone, utc("2026-07-15T13:00:00.000Z"))),
            "2026-07-15");
  // An offset given and then cleared (null) goes back to the point's zone.
  auto fixed =
      apply_patch(*settings, nlohmann::json::parse(R"({"schedule":{"utc_offset_minutes":-480}})"));
  ASSERT_TRUE(fixed.has_value());
  EXPECT_EQ(site_time_zone(*fixed).name(), "UTC-08:00");
  auto cleared =
      apply_patch(*fixed, nlohmann::json::parse(R"({"schedule":{"utc_offset_minutes":null}})"));
  ASSERT_TRUE(cleared.has_value());
  EXPECT_EQ(site_time_zone(*cleared).name(), "America/Los_Angeles");
}

TEST(SiteSettingsParsing, RefusesBadFieldsOneByOne) {
  auto refused = parse_new_site(nlohmann::json::parse(
      R"({"latitude":91,"longitude":0,"schedule":{"local_time":"25:00"},"modes":["daily"],"recent_days":5,"sources":["nope"]})"));
  ASSERT_FALSE(refused.has_value());
  std::vector<std::string> fields;
  for (const auto& detail : refused.error().details) fields.push_back(detail.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"latitude", "schedule.local_time", "modes",
                                              "recent_days", "sources"}));
  auto offset = parse_new_site(nlohmann::json::parse(R"({"latitude":0,"longitude":-118.78})"));
  ASSERT_TRUE(offset.has_value());
  EXPECT_FALSE(offset->utc_offset_minutes.has_value());  // the point's own zone
}

}  // namespace
}  // namespace evapo::sites
