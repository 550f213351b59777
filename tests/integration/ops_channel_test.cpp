// The operations channel of the distributed mode on a real redis-server: two nodes on one
// channel (what one publishes, a subscriber on the other sees), one gap-free seq under
// concurrent publishing on both, resume by since after a node restarts, reset past the backlog,
// and a node without subscribers of its own knowing that another node has some.

#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include <evapo/ops/event_channel.hpp>
#include <evapo/ops/redis_event_channel.hpp>

#include "../ops/channel_test_support.hpp"
#include "../support/redis_server.hpp"

namespace evapo::ops::testing {
namespace {

std::shared_ptr<EventChannel> node_on(const evapo::testing::RedisServer& redis,
                                      const std::string& node, BacklogLimits limits = {}) {
  auto channel = open_event_channel(redis.url(), node, limits);
  if (!channel) throw std::runtime_error(channel.error().message);
  return *channel;
}

std::vector<std::int64_t> seqs_of(const std::vector<OpsEventPtr>& events) {
  std::vector<std::int64_t> out;
  for (const auto& event : events) out.push_back(event->seq);
  return out;
}

TEST(RedisEventChannel, EveryNodeSeesEveryNodesEventsInOneGapFreeOrder) {
  evapo::testing::RedisServer redis;
  auto a = node_on(redis, "node-a");
  auto b = node_on(redis, "node-b");
  Recorder on_a;
  Recorder on_b;
  auto sub_a = a->subscribe(TopicSet::all(), 0, on_a.handler());
  auto sub_b = b->subscribe(TopicSet::all(), 0, on_b.handler());
  ASSERT_TRUE(sub_a && sub_b);
  constexpr int kPerThread = 150;
  std::vector<std::thread> publishers;
  for (auto* channel : {a.get(), b.get(), a.get(), b.get()}) {
    publishers.emplace_back([channel] {
      for (int i = 0; i < kPerThread; ++i) {
        ASSERT_TRUE(channel->publish(EventType::activity, {{"kind", "test"}, {"i", i}}));
      }
    });
  }
  for (auto& thread : publishers) thread.join();
  constexpr std::size_t kTotal = 4 * kPerThread;
  ASSERT_TRUE(eventually([&] { return on_a.size() == kTotal && on_b.size() == kTotal; }))
      << on_a.size() << " " << on_b.size();
  std::vector<std::int64_t> expected(kTotal);
  for (std::size_t i = 0; i < kTotal; ++i) expected[i] = static_cast<std::int64_t>(i) + 1;
  EXPECT_EQ(seqs_of(on_a.events()), expected);
  EXPECT_EQ(seqs_of(on_b.events()), expected);
  std::set<std::string> nodes;
  for (const auto& event : on_a.events()) nodes.insert(event->node);
  EXPECT_EQ(nodes, (std::set<std::string>{"node-a", "node-b"}));
  EXPECT_EQ(a->head_seq(), static_cast<std::int64_t>(kTotal));
}

TEST(RedisEventChannel, ARestartedNodeReplaysFromTheSharedBacklogBySince) {
  evapo::testing::RedisServer redis;
  auto a = node_on(redis, "node-a");
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(a->publish(EventType::activity, {{"i", i}}));
  {
    auto b = node_on(redis, "node-b");
    ASSERT_TRUE(eventually([&] { return b->head_seq() == 20; }));
  }
  for (int i = 20; i < 30; ++i) ASSERT_TRUE(a->publish(EventType::activity, {{"i", i}}));
  // Node b comes back: a client that had seen seq 15 resumes there, gap-free.
  auto b = node_on(redis, "node-b");
  ASSERT_TRUE(eventually([&] { return b->head_seq() == 30; }));
  Recorder resumed;
  auto sub = b->subscribe(TopicSet::all(), 15, resumed.handler());
  ASSERT_TRUE(sub);
  ASSERT_TRUE(a->publish(EventType::activity, {{"i", 30}}));
  ASSERT_TRUE(eventually([&] { return resumed.size() == 16; }));
  std::vector<std::int64_t> expected;
  for (std::int64_t seq = 16; seq <= 31; ++seq) expected.push_back(seq);
  EXPECT_EQ(seqs_of(resumed.events()), expected);
  EXPECT_EQ(resumed.events().front()->data()["i"], 15);
}

TEST(RedisEventChannel, ASinceOlderThanTheBacklogGetsAResetThenLiveEvents) {
  evapo::testing::RedisServer redis;
  auto a = node_on(redis, "node-a", {.max_events = 50});
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(a->publish(EventType::activity, {{"i", i}}));
  ASSERT_TRUE(eventually([&] { return a->head_seq() == 200; }));
  Recorder late;
  auto sub = a->subscribe(TopicSet::all(), 10, late.handler());
  ASSERT_TRUE(sub);
  ASSERT_TRUE(a->publish(EventType::activity, {{"i", 200}}));
  ASSERT_TRUE(eventually([&] { return late.size() == 2; }));
  const auto events = late.events();
  EXPECT_EQ(events[0]->type, "reset");
  EXPECT_EQ(events[0]->data()["reason"], "expired");
  EXPECT_EQ(events[0]->seq, 200);
  EXPECT_EQ(events[1]->seq, 201);
}

TEST(RedisEventChannel, ANodeWithoutSubscribersKnowsAnotherNodeHasSome) {
  evapo::testing::RedisServer redis;
  auto serve = node_on(redis, "serve-1");
  auto worker = node_on(redis, "worker-1");
  EXPECT_EQ(worker->subscriber_count(), 0);
  Recorder watcher;
  {
    auto sub = serve->subscribe(TopicSet::all(), std::nullopt, watcher.handler());
    ASSERT_TRUE(sub);
    EXPECT_EQ(serve->subscriber_count(), 1);
    // The worker learns it within a few presence periods (1 s each).
    EXPECT_TRUE(eventually([&] { return worker->subscriber_count() == 1; }));
  }
  EXPECT_TRUE(eventually([&] { return worker->subscriber_count() == 0; }));
}

}  // namespace
}  // namespace evapo::ops::testing
