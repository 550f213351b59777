// The workspace stores on a real PostgreSQL (a cluster's shared backend): datasets written whole
// or not at all, appends only from the version read, the history's "a forecast never replaces
// an observed day", and the once-a-day rule of monitored sites with two serve nodes' schedulers
// ticking at the same instant on their own connections.

#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <evapo/domain/date.hpp>
#include <evapo/sites/site_scheduler.hpp>
#include <evapo/sites/site_settings.hpp>
#include <evapo/storage/workspace_stores.hpp>

#include "../support/postgres_server.hpp"

namespace evapo::storage {
namespace {

WorkspaceStores open_or_fail(const std::string& url) {
  auto stores = open_workspace_stores(url);
  if (!stores) throw std::runtime_error(stores.error().message);
  return *stores;
}

DatasetRecord record(const std::string& id, std::int64_t version = 1) {
  return DatasetRecord{.id = id,
                       .workspace_id = "w1",
                       .name = "Fallón \"AgriMet\"",
                       .meta_json = R"({"timestep":"daily"})",
                       .row_count = 3,
                       .version = version,
                       .created_at = "2026-01-01T00:00:00.000Z",
                       .updated_at = "2026-01-01T00:00:00.000Z"};
}

TEST(PostgresWorkspaceStores, DatasetsAreWrittenWholeAndAppendedFromTheVersionRead) {
  evapo::testing::PostgresServer postgres;
  auto stores = open_or_fail(postgres.url());
  const std::string id(32, 'a');
  DatasetRows rows;
  rows.add(100, "2015-01-01,1,0,\"quoted, with comma\"");
  rows.add(200, R"(2015-01-02,2,1,back\slash "and" quotes)");
  rows.add(300, "2015-01-03,3,2,ünïcødé");
  ASSERT_TRUE(stores.datasets->create(record(id), rows));
  const auto listed = stores.datasets->list(std::string("w1"));
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ((*listed)[0].name, "Fallón \"AgriMet\"");
  EXPECT_TRUE(stores.datasets->list(std::string("w2"))->empty());
  const auto page = stores.datasets->rows(id, 1, 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 2U);
  EXPECT_EQ((*page)[0].record, R"(2015-01-02,2,1,back\slash "and" quotes)");
  EXPECT_EQ((*page)[1].record, "2015-01-03,3,2,ünïcødé");

  // A repeated time refuses the whole dataset: nothing of it is stored.
  DatasetRows repeated;
  repeated.add(1, "a");
  repeated.add(1, "b");
  const auto refused = stores.datasets->create(record(std::string(32, 'b')), repeated);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, domain::ErrorCode::invalid_argument);
  EXPECT_FALSE(stores.datasets->get(std::string(32, 'b'))->has_value());

  // An append from the version read replaces a time and adds one; a stale version changes
  // nothing.
  DatasetRows more;
  more.add(300, "2015-01-03,9,9,replaced");
  more.add(400, "2015-01-04,4,3,new");
  auto next = record(id, 2);
  next.row_count = 4;
  ASSERT_TRUE(stores.datasets->append(next, more));
  const auto stale = stores.datasets->append(next, more);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, domain::ErrorCode::unavailable);
  std::vector<std::string> seen;
  ASSERT_TRUE(stores.datasets->for_each_row(id, [&](const DatasetRow& row) {
    seen.push_back(row.record);
    return domain::Expected<void>{};
  }));
  EXPECT_EQ(seen.size(), 4U);
  EXPECT_EQ(seen[2], "2015-01-03,9,9,replaced");
  EXPECT_EQ((*stores.datasets->get(id))->version, 2);
  EXPECT_TRUE(*stores.datasets->remove(id));
  EXPECT_TRUE(stores.datasets->rows(id, 0, 10)->empty());
}

TEST(PostgresWorkspaceStores, AForecastNeverReplacesAnObservedDay) {
  evapo::testing::PostgresServer postgres;
  auto stores = open_or_fail(postgres.url());
  ASSERT_TRUE(stores.workspaces->create({.id = "w1", .created_at = "2026-01-01T00:00:00.000Z"},
                                        std::string(64, 'f')));
  EXPECT_EQ((*stores.workspaces->find_by_key_hash(std::string(64, 'f')))->id, "w1");
  const SiteRecord site{.id = std::string(32, 's'),
                        .workspace_id = "w1",
                        .settings_json = "{}",
                        .created_at = "2026-01-01T00:00:00.000Z",
                        .updated_at = "2026-01-01T00:00:00.000Z"};
  ASSERT_TRUE(stores.sites->create(site));
  const SiteRun run{.site_id = site.id,
                    .local_date = "2026-03-02",
                    .node = "a",
                    .claimed_at = "2026-03-02T14:00:00.000Z",
                    .tasks_json = "[]",
                    .finished_at = std::nullopt,
                    .outcome = ""};
  EXPECT_TRUE(*stores.sites->claim_run(run));
  EXPECT_FALSE(*stores.sites->claim_run(run));
  const SiteDay observed{.date = "2026-03-01",
                         .eto_mm = 3.5,
                         .kind = "observed",
                         .detail_json = "{}",
                         .task_id = "t1",
                         .updated_at = "x"};
  const SiteDay unknown{.date = "2026-03-02",
                        .eto_mm = std::nan(""),
                        .kind = "forecast",
                        .detail_json = "{}",
                        .task_id = "t1",
                        .updated_at = "x"};
  ASSERT_TRUE(stores.sites->finish_run(site.id, run.local_date, "ok", "y",
                                       std::vector<SiteDay>{observed, unknown}));
  SiteDay forecast = observed;
  forecast.kind = "forecast";
  forecast.eto_mm = 9.0;
  ASSERT_TRUE(
      stores.sites->finish_run(site.id, run.local_date, "ok", "z", std::vector<SiteDay>{forecast}));
  const auto days = stores.sites->history(site.id, "");
  ASSERT_TRUE(days);
  ASSERT_EQ(days->size(), 2U);
  EXPECT_EQ((*days)[0].eto_mm, 3.5);
  EXPECT_EQ((*days)[0].kind, "observed");
  EXPECT_TRUE(std::isnan((*days)[1].eto_mm));
  EXPECT_TRUE(stores.sites->open_runs(10)->empty());
  EXPECT_EQ((*stores.sites->last_run(site.id))->outcome, "ok");
}

TEST(PostgresWorkspaceStores, TwoNodesTickingAtOnceRunASiteOnceADay) {
  evapo::testing::PostgresServer postgres;
  auto shared = open_or_fail(postgres.url());
  auto settings = sites::parse_new_site(nlohmann::json::parse(
      R"({"latitude":39.46,"longitude":-118.78,"schedule":{"local_time":"06:00","utc_offset_minutes":-480}})"));
  ASSERT_TRUE(settings);
  ASSERT_TRUE(shared.sites->create({.id = std::string(32, 'c'),
                                    .workspace_id = "w1",
                                    .settings_json = sites::to_json(*settings).dump(),
                                    .created_at = "2026-03-01T00:00:00.000Z",
                                    .updated_at = "2026-03-01T00:00:00.000Z"}));
  std::mutex mutex;
  int submitted = 0;
  const sites::SchedulerTasks tasks{
      .submit = [&](const pipeline::CalculationRequest&) -> domain::Expected<std::string> {
        std::lock_guard lock(mutex);
        return "task" + std::to_string(++submitted);
      },
      .get = [](const std::string&) -> domain::Expected<std::optional<tasks::TaskRecord>> {
        return std::optional<tasks::TaskRecord>{};
      }};
  // Each node its own connections, as two serve processes have.
  sites::SiteScheduler node_a(open_or_fail(postgres.url()).sites, tasks, {.node = "a"});
  sites::SiteScheduler node_b(open_or_fail(postgres.url()).sites, tasks, {.node = "b"});
  const auto now = *domain::parse_iso_utc_millis("2026-03-02T14:00:05.000Z");  // 06:00:05 local
  for (int round = 0; round < 5; ++round) {
    std::atomic<int> claimed{0};
    std::thread a([&] { claimed += node_a.tick(now)->claimed; });
    std::thread b([&] { claimed += node_b.tick(now)->claimed; });
    a.join();
    b.join();
    EXPECT_EQ(claimed.load(), round == 0 ? 1 : 0) << "round " << round;
  }
  EXPECT_EQ(submitted, 1);
  const auto last = shared.sites->last_run(std::string(32, 'c'));
  ASSERT_TRUE(last && *last);
  EXPECT_EQ((*last)->local_date, "2026-03-02");
}

}  // namespace
}  // namespace evapo::storage
