// The embedded operations channel: seq without gaps, replay from since, topics, the backlog's
// bounds (reset), persistence across a restart, and gap-free resume under concurrent publishing.

#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include <evapo/domain/date.hpp>
#include <evapo/ops/embedded_event_channel.hpp>

#include "channel_test_support.hpp"

namespace evapo::ops {
namespace {

using testing::consecutive;
using testing::eventually;
using testing::open_channel;
using testing::Recorder;
using testing::TempDir;

nlohmann::json n(int i) {
  return {{"i", i}};
}

TEST(EmbeddedEventChannel, SeqIsConsecutiveAndTheEnvelopeCarriesTopicNodeAndData) {
  TempDir dir("envelope");
  auto channel = open_channel(dir.path() / "ops.sqlite3");
  auto first = channel->publish(EventType::activity, n(1));
  auto second = channel->publish(EventType::system_stats, n(2));
  ASSERT_TRUE(first && second);
  EXPECT_EQ((*first)->seq, 1);
  EXPECT_EQ((*second)->seq, 2);
  EXPECT_EQ(channel->head_seq(), 2);
  const auto wire = nlohmann::json::parse(*(*second)->wire);
  EXPECT_EQ(wire["type"], "system_stats");
  EXPECT_EQ(wire["topic"], "system");
  EXPECT_EQ(wire["node"], "test-node");
  EXPECT_EQ(wire["seq"], 2);
  EXPECT_EQ(wire["data"], n(2));
  EXPECT_TRUE(domain::parse_iso_utc_millis(wire["ts"].get<std::string>()).has_value());
  // The wire text is what nlohmann would dump of the same object.
  EXPECT_EQ(*(*second)->wire, wire.dump());
}

TEST(EmbeddedEventChannel, WithoutSinceOnlyLiveEventsArrive) {
  TempDir dir("live");
  auto channel = open_channel(dir.path() / "ops.sqlite3");
  ASSERT_TRUE(channel->publish(EventType::activity, n(1)));
  Recorder recorder;
  auto subscription = channel->subscribe(TopicSet::all(), std::nullopt, recorder.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(channel->publish(EventType::activity, n(2)));
  ASSERT_TRUE(eventually([&] { return recorder.size() == 1; }));
  EXPECT_EQ(recorder.seqs(), std::vector<std::int64_t>{2});
}

TEST(EmbeddedEventChannel, SinceReplaysWhatWasMissedThenContinuesLive) {
  TempDir dir("since");
  auto channel = open_channel(dir.path() / "ops.sqlite3");
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(channel->publish(EventType::activity, n(i)));
  Recorder recorder;
  auto subscription = channel->subscribe(TopicSet::all(), 2, recorder.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(channel->publish(EventType::activity, n(6)));
  ASSERT_TRUE(eventually([&] { return recorder.size() == 4; }));
  EXPECT_EQ(recorder.seqs(), consecutive(3, 6));
  subscription->reset();
  ASSERT_TRUE(channel->publish(EventType::activity, n(7)));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(recorder.size(), 4U) << "nothing after reset";
}

TEST(EmbeddedEventChannel, TopicsFilterAndKeepSeqOrder) {
  TempDir dir("topics");
  auto channel = open_channel(dir.path() / "ops.sqlite3");
  Recorder health;
  auto topics = TopicSet::parse("health,sources");
  ASSERT_TRUE(topics);
  auto subscription = channel->subscribe(*topics, 0, health.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(channel->publish(EventType::system_stats, n(1)));
  ASSERT_TRUE(channel->publish(EventType::health_change, n(2)));
  ASSERT_TRUE(channel->publish(EventType::activity, n(3)));
  ASSERT_TRUE(channel->publish(EventType::priors_deployed, n(4)));
  ASSERT_TRUE(eventually([&] { return health.size() == 2; }));
  EXPECT_EQ(health.seqs(), (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(health.types(), (std::vector<std::string>{"health_change", "priors_deployed"}));
}

TEST(EmbeddedEventChannel, UnknownTopicIsRefusedByName) {
  auto topics = TopicSet::parse("health,weather");
  ASSERT_FALSE(topics);
  EXPECT_EQ(topics.error().code, domain::ErrorCode::invalid_argument);
  ASSERT_EQ(topics.error().details.size(), 1U);
  EXPECT_NE(topics.error().details[0].reason.find("'weather'"), std::string::npos);
}

TEST(EmbeddedEventChannel, OverflowOfTheBacklogGivesResetThenLive) {
  TempDir dir("overflow");
  auto channel = open_channel(dir.path() / "ops.sqlite3", BacklogLimits{.max_events = 100});
  for (int i = 1; i <= 300; ++i) ASSERT_TRUE(channel->publish(EventType::activity, n(i)));
  EXPECT_EQ(channel->oldest_seq(), 201);
  Recorder recorder;
  auto subscription = channel->subscribe(TopicSet::all(), 10, recorder.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(channel->publish(EventType::activity, n(301)));
  ASSERT_TRUE(eventually([&] { return recorder.size() == 2; }));
  const auto events = recorder.events();
  EXPECT_EQ(events[0]->type, "reset");
  const auto reset = nlohmann::json::parse(*events[0]->wire);
  EXPECT_EQ(reset["topic"], "channel");
  EXPECT_EQ(reset["seq"], 300);
  EXPECT_EQ(reset["data"]["reason"], "expired");
  EXPECT_EQ(reset["data"]["oldest_seq"], 201);
  EXPECT_EQ(reset["data"]["since"], 10);
  EXPECT_EQ(events[1]->seq, 301);

  // Exactly at the edge: since = oldest - 1 misses nothing, so no reset.
  Recorder edge;
  auto edge_subscription = channel->subscribe(TopicSet::all(), 201, edge.handler());
  ASSERT_TRUE(edge_subscription);
  ASSERT_TRUE(eventually([&] { return edge.size() == 100; }));
  EXPECT_EQ(edge.seqs(), consecutive(202, 301));
}

TEST(EmbeddedEventChannel, SinceAheadOfTheChannelGivesReset) {
  TempDir dir("ahead");
  auto channel = open_channel(dir.path() / "ops.sqlite3");
  ASSERT_TRUE(channel->publish(EventType::activity, n(1)));
  Recorder recorder;
  auto subscription = channel->subscribe(TopicSet::all(), 50, recorder.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(eventually([&] { return recorder.size() == 1; }));
  EXPECT_EQ(recorder.events()[0]->type, "reset");
  EXPECT_EQ(recorder.events()[0]->data()["reason"], "ahead");
}

TEST(EmbeddedEventChannel, EventsOlderThanTheAgeLimitAreDropped) {
  TempDir dir("age");
  auto now = std::make_shared<std::atomic<std::int64_t>>(1'800'000'000);
  auto clock = [now] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(now->load()));
  };
  auto channel =
      open_channel(dir.path() / "ops.sqlite3",
                   BacklogLimits{.max_events = 1000, .max_age = std::chrono::hours(24)}, clock);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(channel->publish(EventType::activity, n(i)));
  now->fetch_add(23 * 3600);
  ASSERT_TRUE(channel->publish(EventType::activity, n(4)));
  now->fetch_add(2 * 3600);  // the first three are now 25 h old, the fourth 2 h
  Recorder recorder;
  auto subscription = channel->subscribe(TopicSet::all(), 0, recorder.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(eventually([&] { return recorder.size() == 1; }));
  EXPECT_EQ(recorder.events()[0]->type, "reset");
  EXPECT_EQ(recorder.events()[0]->data()["oldest_seq"], 4);
  Recorder kept;
  auto kept_subscription = channel->subscribe(TopicSet::all(), 3, kept.handler());
  ASSERT_TRUE(eventually([&] { return kept.size() == 1; }));
  EXPECT_EQ(kept.seqs(), std::vector<std::int64_t>{4});
}

TEST(EmbeddedEventChannel, ARestartedChannelContinuesItsSeqAndReplaysItsBacklog) {
  TempDir dir("restart");
  const auto file = dir.path() / "ops.sqlite3";
  {
    auto channel = open_channel(file);
    for (int i = 1; i <= 50; ++i) ASSERT_TRUE(channel->publish(EventType::activity, n(i)));
  }
  auto channel = open_channel(file);
  EXPECT_EQ(channel->head_seq(), 50);
  Recorder recorder;
  auto subscription = channel->subscribe(TopicSet::all(), 40, recorder.handler());
  ASSERT_TRUE(subscription);
  auto next = channel->publish(EventType::activity, n(51));
  ASSERT_TRUE(next);
  EXPECT_EQ((*next)->seq, 51);
  ASSERT_TRUE(eventually([&] { return recorder.size() == 11; }));
  EXPECT_EQ(recorder.seqs(), consecutive(41, 51));
  EXPECT_EQ(recorder.events()[0]->data()["i"], 41);
}

TEST(EmbeddedEventChannel, SeqNeverRestartsEvenWhenEveryEventAged_out) {
  TempDir dir("aged");
  const auto file = dir.path() / "ops.sqlite3";
  auto now = std::make_shared<std::atomic<std::int64_t>>(1'800'000'000);
  auto clock = [now] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(now->load()));
  };
  {
    auto channel = open_channel(file, BacklogLimits{}, clock);
    for (int i = 1; i <= 5; ++i) ASSERT_TRUE(channel->publish(EventType::activity, n(i)));
  }
  now->fetch_add(48 * 3600);
  auto channel = open_channel(file, BacklogLimits{}, clock);
  EXPECT_EQ(channel->head_seq(), 5);
  EXPECT_EQ(channel->oldest_seq(), 6);
  auto next = channel->publish(EventType::activity, n(6));
  ASSERT_TRUE(next);
  EXPECT_EQ((*next)->seq, 6);
}

// Four threads publish while a subscriber keeps dropping its subscription and resuming with
// since = the last seq it saw: it must see every event exactly once, in order.
TEST(EmbeddedEventChannel, ResumeBySinceIsGapFreeUnderConcurrentPublishing) {
  TempDir dir("concurrent");
  auto channel = open_channel(dir.path() / "ops.sqlite3");
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1500;
  constexpr std::int64_t kTotal = kThreads * kPerThread;

  std::mutex mutex;
  std::vector<std::int64_t> seen;
  std::atomic<bool> duplicate_or_gap{false};
  auto handler = [&](const std::vector<OpsEventPtr>& events) {
    std::lock_guard lock(mutex);
    for (const auto& event : events) {
      if (event->type == "reset") duplicate_or_gap = true;
      const std::int64_t expected = seen.empty() ? 1 : seen.back() + 1;
      if (event->seq != expected) duplicate_or_gap = true;
      seen.push_back(event->seq);
    }
  };
  Recorder always;
  auto live = channel->subscribe(TopicSet::all(), 0, always.handler());
  ASSERT_TRUE(live);

  std::vector<std::thread> publishers;
  for (int t = 0; t < kThreads; ++t) {
    publishers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!channel->publish(EventType::activity, n(t * kPerThread + i))) return;
      }
    });
  }
  auto resumed = channel->subscribe(TopicSet::all(), 0, handler);
  ASSERT_TRUE(resumed);
  for (int round = 0; round < 200; ++round) {
    resumed->reset();
    std::int64_t last = 0;
    {
      std::lock_guard lock(mutex);
      last = seen.empty() ? 0 : seen.back();
    }
    resumed = channel->subscribe(TopicSet::all(), last, handler);
    ASSERT_TRUE(resumed);
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  for (auto& publisher : publishers) publisher.join();
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return !seen.empty() && seen.back() == kTotal;
  }));
  EXPECT_FALSE(duplicate_or_gap.load());
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(seen, consecutive(1, kTotal));
  }
  ASSERT_TRUE(eventually([&] { return always.size() == static_cast<std::size_t>(kTotal); }));
  EXPECT_EQ(always.seqs(), consecutive(1, kTotal));
}

TEST(EmbeddedEventChannel, RecentGivesTheNewestOfATopicOldestFirst) {
  TempDir dir("recent");
  auto channel = open_channel(dir.path() / "ops.sqlite3");
  for (int i = 1; i <= 10; ++i) {
    ASSERT_TRUE(channel->publish(i % 2 == 0 ? EventType::activity : EventType::system_stats, n(i)));
  }
  auto recent = channel->recent(TopicSet().add(Topic::activity), 3);
  ASSERT_TRUE(recent);
  std::vector<std::int64_t> seqs;
  for (const auto& event : *recent) seqs.push_back(event->seq);
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{6, 8, 10}));
}

TEST(EmbeddedEventChannel, AHandlerMayResetItsOwnSubscription) {
  TempDir dir("self_reset");
  auto channel = open_channel(dir.path() / "ops.sqlite3");
  std::atomic<int> calls{0};
  tasks::Subscription subscription;
  std::mutex subscription_mutex;
  auto subscribed =
      channel->subscribe(TopicSet::all(), std::nullopt, [&](const std::vector<OpsEventPtr>&) {
        ++calls;
        std::lock_guard lock(subscription_mutex);
        subscription.reset();
      });
  ASSERT_TRUE(subscribed);
  {
    std::lock_guard lock(subscription_mutex);
    subscription = std::move(*subscribed);
  }
  ASSERT_TRUE(channel->publish(EventType::activity, n(1)));
  ASSERT_TRUE(eventually([&] { return calls.load() == 1; }));
  ASSERT_TRUE(channel->publish(EventType::activity, n(2)));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(channel->subscriber_count(), 0);
}

}  // namespace
}  // namespace evapo::ops
