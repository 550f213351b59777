// The node's monitor publishes system_stats, calculation_volume and source_status only while the
// channel has a subscriber, with figures read from its probes and /proc; it probes the store,
// the queue and the workers for the health board.

#include <algorithm>

#include <gtest/gtest.h>

#include <evapo/ops/activity.hpp>
#include <evapo/ops/operations.hpp>

#include "channel_test_support.hpp"

namespace evapo::ops {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::Recorder;
using testing::TempDir;

struct FakeNode {
  std::atomic<std::int64_t> queue_depth{3};
  std::atomic<bool> store_up{true};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::int64_t> beat_age_ms{0};
};

std::unique_ptr<Operations> open_ops(const TempDir& dir, FakeNode& node) {
  const auto file = (dir.path() / "ops.sqlite3").string();
  auto opened = Operations::open(
      {.channel_url = "sqlite://" + file,
       .priors_path = file,
       .node = "node-a",
       .data_dir = dir.path().string(),
       .sources = {{"nasa_power", true}},
       .periods = {.tick = 20ms, .stats = 100ms, .volume = 200ms, .sources = 200ms}});
  if (!opened) throw std::runtime_error(opened.error().message);
  NodeProbes probes;
  probes.task_counts = [&node]() -> domain::Expected<tasks::TaskCounts> {
    if (!node.store_up) return domain::fail(domain::Error::unavailable("store down"));
    tasks::TaskCounts counts;
    counts.queue_depth = node.queue_depth;
    counts.running = 2;
    return counts;
  };
  probes.connections = [&node] { return ConnectionCounts{7, 1, node.requests.load()}; };
  probes.heartbeat_period = 100ms;
  probes.workers = [&node] {
    return std::vector<WorkerBeat>{
        {"worker-1", "host", 2, 1,
         std::chrono::system_clock::now() - std::chrono::milliseconds(node.beat_age_ms.load())}};
  };
  (*opened)->set_probes(probes);
  (*opened)->start();
  return std::move(*opened);
}

TEST(OpsMonitor, PublishesOnlyWhileSomeoneSubscribes) {
  TempDir dir("monitor_idle");
  FakeNode node;
  auto ops = open_ops(dir, node);
  // "node started" is the only event while nobody listens.
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(ops->channel().head_seq(), 1);

  Recorder stats;
  auto subscription = ops->channel().subscribe(TopicSet::all(), std::nullopt, stats.handler());
  ASSERT_TRUE(subscription);
  node.requests = 500;
  ASSERT_TRUE(eventually([&] {
    int system = 0, volume = 0, sources = 0;
    for (const auto& type : stats.types()) {
      system += type == "system_stats";
      volume += type == "calculation_volume";
      sources += type == "source_status";
    }
    return system >= 3 && volume >= 1 && sources >= 1;
  }));
  OpsEventPtr last_stats;
  for (const auto& event : stats.events()) {
    if (event->type == "system_stats") last_stats = event;
  }
  const auto data = last_stats->data();
  EXPECT_EQ(last_stats->node, "node-a");
  EXPECT_EQ(data["queue_depth"], 3);
  EXPECT_EQ(data["running_tasks"], 2);
  EXPECT_EQ(data["websocket_connections"], 7);
  EXPECT_EQ(data["sse_connections"], 1);
  EXPECT_EQ(data["ops_subscribers"], 1);
  EXPECT_GT(data["rss_bytes"].get<std::int64_t>(), 0);
  EXPECT_GT(data["memory_total_bytes"].get<std::int64_t>(), 0);
  EXPECT_GT(data["disk_total_bytes"].get<std::int64_t>(), 0);
  EXPECT_GE(data["process_cpu_pct"].get<double>(), 0.0);

  subscription->reset();
  std::this_thread::sleep_for(100ms);  // a tick in flight may still publish
  const auto head = ops->channel().head_seq();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(ops->channel().head_seq(), head) << "nothing published without subscribers";
}

TEST(OpsMonitor, StoreQueueAndWorkerHealthFromTheProbes) {
  TempDir dir("monitor_health");
  FakeNode node;
  auto ops = open_ops(dir, node);
  Recorder health;
  auto subscription =
      ops->channel().subscribe(TopicSet().add(Topic::health), std::nullopt, health.handler());
  ASSERT_TRUE(subscription);
  auto state_of = [&](const std::string& kind) {
    for (const auto& component : ops->health().snapshot()) {
      if (component.kind == kind) return std::string(to_string(component.state));
    }
    return std::string("absent");
  };
  ASSERT_TRUE(eventually(
      [&] { return state_of("worker") == "healthy" && state_of("store") == "healthy"; }));
  node.queue_depth = 900;
  node.beat_age_ms = 1000;  // more than three 100 ms heartbeats
  ASSERT_TRUE(
      eventually([&] { return state_of("queue") == "degraded" && state_of("worker") == "down"; }));
  node.store_up = false;
  ASSERT_TRUE(
      eventually([&] { return state_of("store") == "down" && state_of("queue") == "down"; }));
  node.store_up = true;
  node.queue_depth = 0;
  node.beat_age_ms = 0;
  ASSERT_TRUE(eventually([&] {
    return state_of("store") == "healthy" && state_of("queue") == "healthy" &&
           state_of("worker") == "healthy";
  }));
  // Every change was published: queue degraded, worker down, store down, queue down, then back.
  ASSERT_TRUE(eventually([&] { return health.size() == 7; }));
  std::vector<std::string> changes;
  for (const auto& event : health.events()) {
    const auto data = event->data();
    changes.push_back(data["kind"].get<std::string>() + ":" + data["state"].get<std::string>());
  }
  std::sort(changes.begin(), changes.end());
  EXPECT_EQ(changes,
            (std::vector<std::string>{"queue:degraded", "queue:down", "queue:healthy", "store:down",
                                      "store:healthy", "worker:down", "worker:healthy"}));
}

TEST(OpsMonitor, OverviewContinuesGapFreeFromItsSeq) {
  TempDir dir("monitor_overview");
  FakeNode node;
  auto ops = open_ops(dir, node);
  for (int i = 0; i < 3; ++i)
    publish_activity(ops->channel(), "task", "rerun", "t" + std::to_string(i));
  auto overview = ops->overview();
  ASSERT_TRUE(overview);
  const auto seq = (*overview)["seq"].get<std::int64_t>();
  EXPECT_EQ((*overview)["node"], "node-a");
  EXPECT_EQ((*overview)["activity"].size(), 4U);  // node started + 3
  EXPECT_EQ((*overview)["activity"].back()["data"]["subject"], "t2");
  ASSERT_EQ((*overview)["nodes"].size(), 1U);
  EXPECT_EQ((*overview)["nodes"][0]["stats"]["queue_depth"], 3);
  EXPECT_EQ((*overview)["priors"]["active_version"], 0);
  EXPECT_EQ((*overview)["volume"][0]["node"], "node-a");
  Recorder after;
  auto subscription = ops->channel().subscribe(TopicSet::all(), seq, after.handler());
  publish_activity(ops->channel(), "task", "rerun", "t3");
  ASSERT_TRUE(eventually([&] {
    for (const auto& event : after.events()) {
      if (event->type == "activity" && event->data()["subject"] == "t3") return true;
    }
    return false;
  }));
  EXPECT_EQ(after.seqs().front(), seq + 1);
  EXPECT_EQ(after.seqs(), testing::consecutive(seq + 1, after.seqs().back()));
}

}  // namespace
}  // namespace evapo::ops
