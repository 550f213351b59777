// One contract for every task backend (TaskLog, TaskQueue, EventBus, WorkerRegistry), run
// against the embedded SQLite backend and the cluster one (real Redis + real PostgreSQL).

#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include <evapo/domain/date.hpp>
#include <evapo/pipeline/request_json.hpp>

#include "../tasks/test_support.hpp"
#include "backends.hpp"

namespace evapo::tasks {
namespace {

using std::chrono::milliseconds;
using testing::EventCollector;
using testing::expect_contiguous;

template <class Backends>
class TaskBackendContract : public ::testing::Test {
 protected:
  TaskBackendContract() : backends_(env_.open()) {}

  TaskLog& log() { return *backends_.log; }
  TaskQueue& queue() { return *backends_.queue; }
  EventBus& bus() { return *backends_.bus; }

  /// Stores and enqueues a task as TaskService::submit does.
  TaskRecord submit(const std::string& id, const std::string& created_at = now_iso()) {
    TaskRecord record;
    record.id = id;
    record.request = pipeline::request_to_json(testing::sample_request());
    record.created_at = record.updated_at = created_at;
    auto inserted = log().insert(record);
    EXPECT_TRUE(inserted) << inserted.error().message;
    auto enqueued = queue().enqueue(id);
    EXPECT_TRUE(enqueued) << enqueued.error().message;
    return record;
  }

  std::optional<Claim> claim(const std::string& worker, milliseconds lease = milliseconds(60000),
                             milliseconds wait = milliseconds(0)) {
    auto claimed = queue().claim(worker, lease, wait);
    EXPECT_TRUE(claimed) << claimed.error().message;
    return claimed ? *claimed : std::nullopt;
  }

  static std::string now_iso() {
    return domain::format_iso_utc_millis(std::chrono::system_clock::now());
  }

  Backends env_;
  TaskBackends backends_;
};

using BackendTypes = ::testing::Types<testing::SqliteBackends, testing::ClusterBackends>;

class BackendNames {
 public:
  template <class T>
  static std::string GetName(int) {
    return T::kShared ? "Cluster" : "Sqlite";
  }
};

TYPED_TEST_SUITE(TaskBackendContract, BackendTypes, BackendNames);

TYPED_TEST(TaskBackendContract, StoresTasksAndRejectsADuplicateId) {
  this->submit("t1");
  this->submit("t2");
  auto got = this->log().get("t1");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->state, TaskState::queued);
  EXPECT_EQ((*got)->request, pipeline::request_to_json(testing::sample_request()));
  EXPECT_FALSE(*this->log().get("unknown"));
  auto listed = this->log().list({.limit = 10});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->tasks.size(), 2U);
  EXPECT_EQ(listed->tasks[0].id, "t2") << "newest first";
  EXPECT_FALSE(listed->next_cursor);
  // Pages of one: the cursor leads to the older task, then the list ends.
  auto first = this->log().list({.limit = 1});
  ASSERT_TRUE(first && first->next_cursor);
  ASSERT_EQ(first->tasks.size(), 1U);
  EXPECT_EQ(first->tasks[0].id, "t2");
  auto second = this->log().list({.limit = 1, .cursor = *first->next_cursor});
  ASSERT_TRUE(second);
  ASSERT_EQ(second->tasks.size(), 1U);
  EXPECT_EQ(second->tasks[0].id, "t1");
  EXPECT_FALSE(second->next_cursor);
  auto bad_cursor = this->log().list({.limit = 1, .cursor = "not-a-cursor"});
  ASSERT_FALSE(bad_cursor);
  EXPECT_EQ(bad_cursor.error().code, domain::ErrorCode::invalid_argument);
  EXPECT_TRUE(this->log().health());
  EXPECT_TRUE(this->queue().health());
  TaskRecord again;
  again.id = "t1";
  again.request = nlohmann::json::object();
  again.created_at = again.updated_at = TestFixture::now_iso();
  auto duplicate = this->log().insert(again);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, domain::ErrorCode::invalid_argument);
  auto counts = this->log().count_by_state();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at(TaskState::queued), 2);
  EXPECT_EQ(counts->at(TaskState::success), 0);
}

TYPED_TEST(TaskBackendContract, SeqIsPerTaskFromOneAndNothingFollowsTheTerminalEvent) {
  this->submit("a");
  this->submit("b");
  for (int i = 1; i <= 3; ++i) {
    auto event = this->log().append("a", EventType::progress, {{"step", "s"}, {"progress", i}});
    ASSERT_TRUE(event && *event) << (event ? "refused" : event.error().message);
    EXPECT_EQ((*event)->seq, i);
  }
  auto other = this->log().append("b", EventType::progress, {{"step", "s"}});
  ASSERT_TRUE(other && *other);
  EXPECT_EQ((*other)->seq, 1);
  auto done = this->log().append("a", EventType::success, {{"results", nlohmann::json::array()}});
  ASSERT_TRUE(done && *done);
  EXPECT_EQ((*done)->seq, 4);
  for (const EventType type : {EventType::progress, EventType::error, EventType::cancelled}) {
    auto late = this->log().append("a", type, {{"error", "late"}});
    ASSERT_TRUE(late);
    EXPECT_FALSE(*late) << "accepted after the terminal event";
  }
  auto record = this->log().get("a");
  EXPECT_EQ((*record)->state, TaskState::success);
  EXPECT_EQ((*record)->last_seq, 4);
  EXPECT_EQ((*record)->progress, 100);
  ASSERT_TRUE((*record)->result);
  EXPECT_TRUE((*record)->finished_at);
  auto events = this->log().read("a", 1, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 3U);
  EXPECT_EQ(events->front().seq, 2);
  EXPECT_EQ(events->back().type, EventType::success);
  auto unknown = this->log().append("nope", EventType::progress, {});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, domain::ErrorCode::not_found);
}

// A year of results is stored compressed and reads back byte for byte.
TYPED_TEST(TaskBackendContract, LargeEventDataRoundTrips) {
  this->submit("big");
  nlohmann::json results = nlohmann::json::array();
  for (int d = 0; d < 365; ++d) results.push_back({{"day", d}, {"eto_mm", 4.0 + d * 0.001}});
  const std::string text = event_data_text({{"results", results}});
  auto appended = this->log().append_text("big", EventType::success, text);
  ASSERT_TRUE(appended && *appended);
  auto events = this->log().read("big", 0, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1U);
  EXPECT_EQ(*events->front().wire, *(*appended)->wire);
  EXPECT_EQ((*this->log().get("big"))->result, nlohmann::json::parse(text));
}

TYPED_TEST(TaskBackendContract, ExactlyOneOfRacingTerminalEventsIsStored) {
  for (int round = 0; round < 5; ++round) {
    const std::string id = "race" + std::to_string(round);
    this->submit(id);
    std::atomic<int> stored{0};
    std::vector<std::thread> racers;
    for (const EventType type :
         {EventType::success, EventType::error, EventType::timeout, EventType::cancelled}) {
      racers.emplace_back([&, type] {
        auto event = this->log().append(id, type, {{"by", std::string(to_string(type))}});
        if (event && *event) ++stored;
      });
    }
    for (auto& racer : racers) racer.join();
    EXPECT_EQ(stored.load(), 1);
    auto events = this->log().read(id, 0, 10);
    ASSERT_TRUE(events);
    EXPECT_EQ(testing::terminal_count(*events), 1);
  }
}

TYPED_TEST(TaskBackendContract, ClaimsOldestFirstOnceAndAckRemoves) {
  this->submit("first");
  this->submit("second");
  auto a = this->claim("w1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->task_id, "first");
  EXPECT_EQ(a->attempt, 1);
  auto b = this->claim("w2");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->task_id, "second");
  EXPECT_FALSE(this->claim("w3")) << "both are held";
  ASSERT_TRUE(this->queue().ack(*a));
  ASSERT_TRUE(this->queue().ack(*b));
  EXPECT_FALSE(this->claim("w3", milliseconds(1)));
  auto depth = this->queue().depth();
  ASSERT_TRUE(depth);
  EXPECT_EQ(*depth, 0);
}

TYPED_TEST(TaskBackendContract, DepthCountsWaitingTasks) {
  for (const char* id : {"q1", "q2", "q3"}) this->submit(id);
  auto depth = this->queue().depth();
  ASSERT_TRUE(depth);
  EXPECT_EQ(*depth, 3);
  ASSERT_TRUE(this->claim("w"));
  EXPECT_EQ(*this->queue().depth(), 2);
}

// A dead worker's claim is taken over once its lease passes, as attempt 2; the dead worker can
// no longer renew it; a live worker that renews keeps it.
TYPED_TEST(TaskBackendContract, ExpiredLeaseIsTakenOverAndTheOldOwnerLosesIt) {
  this->submit("a");
  const milliseconds lease(400);
  auto dead = this->claim("dead", lease);
  ASSERT_TRUE(dead);
  EXPECT_FALSE(this->claim("other", lease)) << "taken over before the lease passed";
  std::optional<Claim> taken;
  ASSERT_TRUE(evapo::testing::wait_until(
      [&] { return (taken = this->claim("other", lease)).has_value(); }, std::chrono::seconds(10)));
  EXPECT_EQ(taken->task_id, "a");
  EXPECT_EQ(taken->attempt, 2);
  auto renewed = this->queue().extend(*dead, lease);
  ASSERT_FALSE(renewed);
  EXPECT_EQ(renewed.error().code, domain::ErrorCode::not_found);
  // The new owner renews three times across more than a lease: nobody takes it.
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(milliseconds(200));
    ASSERT_TRUE(this->queue().extend(*taken, lease));
    EXPECT_FALSE(this->claim("third", lease));
  }
}

TYPED_TEST(TaskBackendContract, ReleasedTaskIsClaimableAtOnce) {
  this->submit("a");
  auto first = this->claim("w1");
  ASSERT_TRUE(first);
  ASSERT_TRUE(this->queue().release(*first));
  std::optional<Claim> again;
  ASSERT_TRUE(evapo::testing::wait_until(
      [&] {
        return (again = this->claim("w2", milliseconds(60000), milliseconds(100))).has_value();
      },
      std::chrono::seconds(5)));
  EXPECT_EQ(again->task_id, "a");
  EXPECT_EQ(again->attempt, 2);
}

TYPED_TEST(TaskBackendContract, WaitingClaimWakesForAnEnqueue) {
  std::optional<Claim> got;
  std::thread waiter([&] { got = this->claim("w", milliseconds(60000), milliseconds(10000)); });
  std::this_thread::sleep_for(milliseconds(200));
  const auto submitted = std::chrono::steady_clock::now();
  this->submit("late");
  waiter.join();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->task_id, "late");
  EXPECT_LT(std::chrono::steady_clock::now() - submitted, std::chrono::seconds(5));
}

TYPED_TEST(TaskBackendContract, MarkStartedAndUnfinished) {
  this->submit("old", "2020-01-01T00:00:00.000Z");
  this->submit("done", "2020-01-01T00:00:01.000Z");
  this->submit("new");
  ASSERT_TRUE(this->log().mark_started("old", 2));
  auto old = this->log().get("old");
  EXPECT_EQ((*old)->state, TaskState::processing);
  EXPECT_TRUE((*old)->started_at);
  EXPECT_EQ((*old)->attempts, 2);
  ASSERT_TRUE(this->log().append("done", EventType::cancelled, {{"error", "x"}}));
  ASSERT_TRUE(this->log().mark_started("done", 1));
  EXPECT_EQ((*this->log().get("done"))->state, TaskState::cancelled) << "terminal is final";
  auto unfinished = this->log().unfinished("2021-01-01T00:00:00.000Z", 10);
  ASSERT_TRUE(unfinished);
  EXPECT_EQ(*unfinished, std::vector<std::string>{"old"});
}

TYPED_TEST(TaskBackendContract, PruneDeletesOnlyOldFinishedTasksWithTheirEvents) {
  this->submit("finished");
  this->submit("open");
  ASSERT_TRUE(this->log().append("finished", EventType::success, {{"results", 1}}));
  ASSERT_TRUE(this->log().append("open", EventType::progress, {{"step", "s"}}));
  auto none = this->log().prune(std::chrono::system_clock::now() - std::chrono::hours(1), 10);
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);
  auto pruned = this->log().prune(std::chrono::system_clock::now() + std::chrono::seconds(1), 10);
  ASSERT_TRUE(pruned);
  EXPECT_EQ(*pruned, 1);
  EXPECT_FALSE(*this->log().get("finished"));
  EXPECT_TRUE(this->log().read("finished", 0, 10)->empty());
  EXPECT_TRUE(*this->log().get("open"));
}

// Subscribers joining at any moment, from any seq, while events are being published, each get
// every later event once, in order, up to the terminal one.
TYPED_TEST(TaskBackendContract, SubscribersGetEveryEventOnceInOrderWhateverTheTiming) {
  this->submit("live");
  constexpr int kEvents = 120;
  std::atomic<int> published{0};
  std::thread publisher([&] {
    for (int i = 1; i < kEvents; ++i) {
      ASSERT_TRUE(
          this->bus().publish("live", EventType::progress, {{"step", "s"}, {"progress", i}}));
      published = i;
      if (i % 10 == 0) std::this_thread::sleep_for(milliseconds(5));
    }
    ASSERT_TRUE(this->bus().publish("live", EventType::success, {{"results", 1}}));
    published = kEvents;
  });
  std::vector<std::unique_ptr<EventCollector>> collectors;
  std::vector<std::int64_t> since;
  std::vector<Subscription> subscriptions;
  for (int i = 0; i < 12; ++i) {
    const std::int64_t from = (i % 3 == 0) ? 0 : published.load() / 2;
    collectors.push_back(std::make_unique<EventCollector>());
    auto subscription = this->bus().subscribe("live", from, collectors.back()->handler());
    ASSERT_TRUE(subscription) << subscription.error().message;
    subscriptions.push_back(std::move(*subscription));
    since.push_back(from);
    std::this_thread::sleep_for(milliseconds(7));
  }
  publisher.join();
  for (std::size_t i = 0; i < collectors.size(); ++i) {
    ASSERT_TRUE(collectors[i]->wait_for_terminal(std::chrono::seconds(20))) << "subscriber " << i;
    const auto events = collectors[i]->events();
    expect_contiguous(events, since[i] + 1);
    EXPECT_EQ(events.back().seq, kEvents);
    EXPECT_EQ(testing::terminal_count(events), 1);
  }
  // A late subscriber to the finished task gets the stored log and nothing live.
  EventCollector late;
  auto replay = this->bus().subscribe("live", 100, late.handler());
  ASSERT_TRUE(replay);
  EXPECT_FALSE(replay->active());
  expect_contiguous(late.events(), 101);
}

TYPED_TEST(TaskBackendContract, UnsubscribedHandlerIsNotCalledAgain) {
  this->submit("t");
  EventCollector first;
  EventCollector second;
  auto a = this->bus().subscribe("t", 0, first.handler());
  auto b = this->bus().subscribe("t", 0, second.handler());
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(this->bus().publish("t", EventType::progress, {{"step", "s"}}));
  ASSERT_TRUE(first.wait_for_count(1, std::chrono::seconds(10)));
  EXPECT_EQ(this->bus().subscriber_count(), 2);
  a->reset();
  EXPECT_EQ(this->bus().subscriber_count(), 1);
  ASSERT_TRUE(this->bus().publish("t", EventType::success, {}));
  ASSERT_TRUE(second.wait_for_terminal(std::chrono::seconds(10)));
  EXPECT_EQ(first.events().size(), 1U);
  auto unknown = this->bus().subscribe("nope", 0, first.handler());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, domain::ErrorCode::not_found);
}

TYPED_TEST(TaskBackendContract, WorkerRegistryListsLiveWorkersOnly) {
  WorkerInfo worker;
  worker.id = "host-1-abc";
  worker.host = "host";
  worker.pid = 1;
  worker.concurrency = 2;
  worker.running_tasks = {"t1"};
  worker.started_at = worker.last_beat = TestFixture::now_iso();
  ASSERT_TRUE(this->backends_.workers->beat(worker, std::chrono::seconds(60)));
  WorkerInfo brief = worker;
  brief.id = "host-2-def";
  ASSERT_TRUE(this->backends_.workers->beat(brief, milliseconds(200)));
  auto listed = this->backends_.workers->list();
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 2U);
  ASSERT_TRUE(evapo::testing::wait_until(
      [&] { return this->backends_.workers->list()->size() == 1; }, std::chrono::seconds(5)));
  EXPECT_EQ(this->backends_.workers->list()->front().running_tasks, worker.running_tasks);
  ASSERT_TRUE(this->backends_.workers->remove(worker.id));
  EXPECT_TRUE(this->backends_.workers->list()->empty());
}

}  // namespace
}  // namespace evapo::tasks
