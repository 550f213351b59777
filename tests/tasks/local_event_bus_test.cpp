#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/pipeline/request_json.hpp>
#include <evapo/storage/sqlite_database.hpp>
#include <evapo/tasks/local_event_bus.hpp>
#include <evapo/tasks/sqlite_task_backend.hpp>

#include "test_support.hpp"

namespace evapo::tasks {
namespace {

using testing::EventCollector;
using testing::expect_contiguous;

class LocalEventBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::SqliteDatabase::open(testing::temp_db_path());
    ASSERT_TRUE(db) << db.error().message;
    auto backend = SqliteTaskBackend::create(*db);
    ASSERT_TRUE(backend) << backend.error().message;
    backend_ = *backend;
    bus_ = std::make_unique<LocalEventBus>(*backend_);
  }

  void add_task(const std::string& id) {
    TaskRecord record;
    record.id = id;
    record.request = pipeline::request_to_json(testing::sample_request());
    record.created_at = record.updated_at = "2026-11-26T10:00:00.000Z";
    ASSERT_TRUE(backend_->insert(record));
  }

  void publish_progress(const std::string& id, int n) {
    for (int i = 0; i < n; ++i) {
      auto event = bus_->publish(id, EventType::progress, {{"step", "s"}, {"progress", i}});
      ASSERT_TRUE(event && *event);
    }
  }

  std::shared_ptr<SqliteTaskBackend> backend_;
  std::unique_ptr<LocalEventBus> bus_;
};

TEST_F(LocalEventBusTest, ReplaysHistoryThenDeliversLive) {
  add_task("t");
  publish_progress("t", 3);
  EventCollector collector;
  auto subscription = bus_->subscribe("t", 0, collector.handler());
  ASSERT_TRUE(subscription);
  EXPECT_EQ(collector.events().size(), 3U) << "history is replayed synchronously";
  publish_progress("t", 2);
  ASSERT_TRUE(bus_->publish("t", EventType::success, nlohmann::json::object()));
  const auto events = collector.events();
  ASSERT_EQ(events.size(), 6U);
  expect_contiguous(events);
  EXPECT_EQ(events.back().type, EventType::success);
  EXPECT_EQ(bus_->channel_count(), 0U) << "a finished task's channel is dropped";
  // Replayed and live events both carry their wire text, equal to a fresh serialisation.
  for (const auto& event : events) {
    ASSERT_TRUE(event.wire) << event.seq;
    EXPECT_EQ(*event.wire, to_json(event).dump()) << event.seq;
  }
}

TEST_F(LocalEventBusTest, SinceSkipsWhatTheClientAlreadyHas) {
  add_task("t");
  publish_progress("t", 5);
  EventCollector collector;
  auto subscription = bus_->subscribe("t", 3, collector.handler());
  ASSERT_TRUE(subscription);
  publish_progress("t", 1);
  const auto events = collector.events();
  ASSERT_EQ(events.size(), 3U);
  expect_contiguous(events, 4);
}

TEST_F(LocalEventBusTest, SubscribingToAFinishedTaskReplaysAndEnds) {
  add_task("t");
  publish_progress("t", 2);
  ASSERT_TRUE(bus_->publish("t", EventType::error, {{"error", "boom"}}));
  EventCollector collector;
  auto subscription = bus_->subscribe("t", 0, collector.handler());
  ASSERT_TRUE(subscription);
  EXPECT_FALSE(subscription->active()) << "nothing more can come";
  EXPECT_EQ(collector.events().size(), 3U);
  // Even when the client already has everything.
  EventCollector late;
  auto after_end = bus_->subscribe("t", 3, late.handler());
  ASSERT_TRUE(after_end);
  EXPECT_FALSE(after_end->active());
  EXPECT_TRUE(late.events().empty());
  EXPECT_EQ(bus_->channel_count(), 0U);
}

TEST_F(LocalEventBusTest, UnknownTaskIsNotFoundAndLeavesNoChannel) {
  EventCollector collector;
  auto subscription = bus_->subscribe("nope", 0, collector.handler());
  ASSERT_FALSE(subscription);
  EXPECT_EQ(subscription.error().code, domain::ErrorCode::not_found);
  EXPECT_EQ(bus_->channel_count(), 0U);
}

TEST_F(LocalEventBusTest, ResetStopsDeliveryEvenFromInsideTheHandler) {
  add_task("t");
  EventCollector outside;
  auto kept = bus_->subscribe("t", 0, outside.handler());
  ASSERT_TRUE(kept);
  Subscription self;
  int calls = 0;
  auto subscribed = bus_->subscribe("t", 0, [&](const TaskEvent&) {
    ++calls;
    self.reset();  // a handler may drop its own subscription
  });
  ASSERT_TRUE(subscribed);
  self = std::move(*subscribed);
  EXPECT_EQ(bus_->subscriber_count(), 2);
  publish_progress("t", 3);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(bus_->subscriber_count(), 1);
  kept->reset();
  publish_progress("t", 1);
  EXPECT_EQ(outside.events().size(), 3U);
  EXPECT_EQ(bus_->subscriber_count(), 0);
}

// The core promise: a subscriber joining while events are being published gets every event
// exactly once, in order. Several publishers race several subscribers that join at random
// points (bounded: 4 tasks x 150 events, 24 subscribers).
TEST_F(LocalEventBusTest, NoGapNoDuplicateUnderConcurrentPublishAndSubscribe) {
  constexpr int kTasks = 4;
  constexpr int kEvents = 150;
  constexpr int kSubscribersPerTask = 6;
  for (int t = 0; t < kTasks; ++t) add_task("t" + std::to_string(t));

  std::vector<std::unique_ptr<EventCollector>> collectors;
  std::vector<Subscription> subscriptions(kTasks * kSubscribersPerTask);
  for (int i = 0; i < kTasks * kSubscribersPerTask; ++i) {
    collectors.push_back(std::make_unique<EventCollector>());
  }
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kTasks; ++t) {
    threads.emplace_back([&, t] {
      while (!go) std::this_thread::yield();
      const std::string id = "t" + std::to_string(t);
      for (int i = 0; i < kEvents; ++i) {
        ASSERT_TRUE(bus_->publish(id, EventType::progress, {{"step", "s"}, {"progress", i}}));
      }
      ASSERT_TRUE(bus_->publish(id, EventType::success, nlohmann::json::object()));
    });
  }
  for (int t = 0; t < kTasks; ++t) {
    threads.emplace_back([&, t] {
      while (!go) std::this_thread::yield();
      for (int s = 0; s < kSubscribersPerTask; ++s) {
        const int index = t * kSubscribersPerTask + s;
        // Stagger the joins across the publishing run.
        std::this_thread::sleep_for(std::chrono::microseconds(1000 * s));
        auto subscription =
            bus_->subscribe("t" + std::to_string(t), 0, collectors[index]->handler());
        ASSERT_TRUE(subscription) << subscription.error().message;
        subscriptions[index] = std::move(*subscription);
      }
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();

  for (int i = 0; i < kTasks * kSubscribersPerTask; ++i) {
    ASSERT_TRUE(collectors[i]->wait_for_terminal()) << "subscriber " << i;
    const auto events = collectors[i]->events();
    ASSERT_EQ(events.size(), static_cast<std::size_t>(kEvents + 1)) << "subscriber " << i;
    expect_contiguous(events);
    EXPECT_EQ(testing::terminal_count(events), 1);
  }
}

}  // namespace
}  // namespace evapo::tasks
