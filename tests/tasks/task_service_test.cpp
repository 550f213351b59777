#include <thread>

#include <gtest/gtest.h>

#include <evapo/pipeline/request_json.hpp>
#include <evapo/storage/sqlite_database.hpp>
#include <evapo/tasks/sqlite_task_backend.hpp>
#include <evapo/tasks/task_service.hpp>

#include "test_support.hpp"

namespace evapo::tasks {
namespace {

using std::chrono::milliseconds;
using testing::EventCollector;
using testing::expect_contiguous;
using testing::FakeCalculation;
using testing::sample_request;
using testing::wait_for_seq;

class TaskServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { path_ = testing::temp_db_path(); }

  std::unique_ptr<TaskService> open(FakeCalculation& calculation, int workers = 2,
                                    milliseconds timeout = std::chrono::minutes(30)) {
    TaskServiceOptions options;
    options.workers = workers;
    options.task_timeout = timeout;
    options.lease = milliseconds(3000);
    options.watchdog_period = milliseconds(10);
    options.calculation = calculation.function();
    auto service = testing::open_service(std::move(options), path_);
    EXPECT_TRUE(service) << service.error().message;
    return service ? std::move(*service) : nullptr;
  }

  // Subscribes from the start and waits for the terminal event.
  std::vector<TaskEvent> watch_to_end(TaskService& service, const std::string& id) {
    EventCollector collector;
    auto subscription = service.subscribe(id, 0, collector.handler());
    EXPECT_TRUE(subscription) << subscription.error().message;
    EXPECT_TRUE(collector.wait_for_terminal()) << "no terminal event for " << id;
    return collector.events();
  }

  std::string path_;
};

TEST_F(TaskServiceTest, RunsATaskPublishingEveryStepThenSuccess) {
  FakeCalculation calculation;
  auto service = open(calculation);
  ASSERT_TRUE(service);
  auto submitted = service->submit(sample_request());
  ASSERT_TRUE(submitted) << submitted.error().message;
  EXPECT_EQ(submitted->state, TaskState::queued);
  EXPECT_EQ(submitted->id.size(), 32U);
  service->start();

  const auto events = watch_to_end(*service, submitted->id);
  ASSERT_EQ(events.size(), static_cast<std::size_t>(pipeline::kTotalSteps + 1));
  expect_contiguous(events);
  for (int i = 0; i < pipeline::kTotalSteps; ++i) {
    EXPECT_EQ(events[i].type, EventType::progress);
    EXPECT_EQ(events[i].data()["step"], pipeline::kSteps[i]);
    EXPECT_EQ(events[i].data()["current_step"], i + 1);
    EXPECT_EQ(events[i].task_id, submitted->id);
  }
  EXPECT_EQ(events[2].data()["sources"][0]["source"], "nasa_power");
  EXPECT_EQ(events.back().type, EventType::success);
  EXPECT_EQ(events.back().data()["results"].size(), 31U);

  auto record = service->get(submitted->id);
  ASSERT_TRUE(record && *record);
  EXPECT_EQ((*record)->state, TaskState::success);
  EXPECT_EQ((*record)->progress, 100);
  EXPECT_EQ((*record)->attempts, 1);
  EXPECT_EQ((*record)->last_seq, pipeline::kTotalSteps + 1);
  EXPECT_TRUE((*record)->started_at && (*record)->finished_at);
  ASSERT_TRUE((*record)->result);
  EXPECT_EQ((*(*record)->result)["results"].size(), 31U);
  auto stored = service->events(submitted->id, 0, 1000);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->size(), events.size());
}

TEST_F(TaskServiceTest, UnknownIdIsNotFoundNeverPending) {
  FakeCalculation calculation;
  auto service = open(calculation);
  auto got = service->get("0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(got);
  EXPECT_FALSE(*got);
  EXPECT_EQ(service->cancel("nope").error().code, domain::ErrorCode::not_found);
  EXPECT_EQ(service->events("nope", 0, 10).error().code, domain::ErrorCode::not_found);
  EXPECT_EQ(service->subscribe("nope", 0, [](const TaskEvent&) {}).error().code,
            domain::ErrorCode::not_found);
}

TEST_F(TaskServiceTest, CancelAQueuedTaskEndsItWithoutRunning) {
  FakeCalculation calculation;
  auto service = open(calculation);
  auto submitted = service->submit(sample_request());
  ASSERT_TRUE(submitted);
  auto cancelled = service->cancel(submitted->id);
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->state, TaskState::cancelled);
  service->start();
  const auto events = watch_to_end(*service, submitted->id);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].type, EventType::cancelled);
  EXPECT_EQ(events[0].data()["error_code"], "cancelled");
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(calculation.started(), 0);
  // Cancelling again changes nothing.
  auto again = service->cancel(submitted->id);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->last_seq, 1);
}

TEST_F(TaskServiceTest, CancelARunningTaskStopsTheCalculation) {
  FakeCalculation calculation;
  calculation.hold_at_step = 2;
  auto service = open(calculation);
  service->start();
  auto submitted = service->submit(sample_request());
  ASSERT_TRUE(submitted);
  EventCollector collector;
  auto subscription = service->subscribe(submitted->id, 0, collector.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(calculation.wait_until_held(1));
  ASSERT_TRUE(wait_for_seq(*service, submitted->id, 3));
  auto cancelled = service->cancel(submitted->id);
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->state, TaskState::cancelled);
  ASSERT_TRUE(collector.wait_for_terminal());
  // Let the worker finish its side, then check nothing followed the terminal event.
  service->stop(milliseconds(2000));
  const auto events = collector.events();
  ASSERT_EQ(events.size(), 4U);
  expect_contiguous(events);
  EXPECT_EQ(events.back().type, EventType::cancelled);
  EXPECT_EQ(testing::terminal_count(*service->events(submitted->id, 0, 100)), 1);
  auto counts = service->counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->running, 0);
  EXPECT_EQ(counts->by_state.at(TaskState::cancelled), 1);
}

TEST_F(TaskServiceTest, TimesOutARunPastItsDeadline) {
  FakeCalculation calculation;
  calculation.hold_at_step = 1;
  calculation.ignore_cancel = true;  // the watchdog, not the calculation, must end it
  auto service = open(calculation, 1, milliseconds(150));
  service->start();
  auto submitted = service->submit(sample_request());
  ASSERT_TRUE(submitted);
  const auto events = watch_to_end(*service, submitted->id);
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events.back().type, EventType::timeout);
  EXPECT_EQ(events.back().data()["error_code"], "timeout");
  calculation.release();  // the late calculation's SUCCESS must be refused
  service->stop(milliseconds(2000));
  auto stored = service->events(submitted->id, 0, 100);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->size(), 3U);
  EXPECT_EQ(testing::terminal_count(*stored), 1);
  EXPECT_EQ((*service->get(submitted->id))->state, TaskState::timeout);
}

TEST_F(TaskServiceTest, ErrorsEndWithTheirCode) {
  FakeCalculation calculation;
  calculation.fail_with = domain::Error::upstream("every source failed");
  auto service = open(calculation);
  service->start();
  auto submitted = service->submit(sample_request());
  ASSERT_TRUE(submitted);
  const auto events = watch_to_end(*service, submitted->id);
  EXPECT_EQ(events.back().type, EventType::error);
  EXPECT_EQ(events.back().data()["error_code"], "upstream");
  EXPECT_EQ(events.back().data()["error"], "every source failed");
  auto record = service->get(submitted->id);
  EXPECT_EQ((*record)->state, TaskState::error);
  ASSERT_TRUE((*record)->error);
  EXPECT_EQ((*(*record)->error)["error_code"], "upstream");
}

// Cancels race completions: whatever wins, each task has exactly one terminal event.
TEST_F(TaskServiceTest, ExactlyOneTerminalEventWhenCancelRacesCompletion) {
  FakeCalculation calculation;
  auto service = open(calculation, 2);
  service->start();
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    auto submitted = service->submit(sample_request());
    ASSERT_TRUE(submitted);
    ids.push_back(submitted->id);
  }
  for (const auto& id : ids) ASSERT_TRUE(service->cancel(id));
  for (const auto& id : ids) {
    const auto events = watch_to_end(*service, id);
    expect_contiguous(events);
    EXPECT_EQ(testing::terminal_count(events), 1);
  }
  service->stop(milliseconds(2000));
  for (const auto& id : ids) {
    auto stored = service->events(id, 0, 100);
    EXPECT_EQ(testing::terminal_count(*stored), 1) << id;
  }
}

TEST_F(TaskServiceTest, ManyTasksAllFinishWithEveryStep) {
  FakeCalculation calculation;
  auto service = open(calculation, 2);
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) ids.push_back(service->submit(sample_request())->id);
  auto queued = service->counts();
  ASSERT_TRUE(queued);
  EXPECT_EQ(queued->queue_depth, 30);
  EXPECT_EQ(queued->by_state.at(TaskState::queued), 30);
  service->start();
  for (const auto& id : ids) {
    const auto events = watch_to_end(*service, id);
    ASSERT_EQ(events.size(), static_cast<std::size_t>(pipeline::kTotalSteps + 1)) << id;
    expect_contiguous(events);
  }
  auto done = service->counts();
  EXPECT_EQ(done->by_state.at(TaskState::success), 30);
  EXPECT_EQ(done->queue_depth, 0);
}

TEST_F(TaskServiceTest, ListsRecentTasksWithAStatusFilter) {
  FakeCalculation calculation;
  auto service = open(calculation);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(service->submit(sample_request())->id);
  ASSERT_TRUE(service->cancel(ids[1]));
  ASSERT_TRUE(service->cancel(ids[3]));
  auto all = service->list({.limit = 100});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->tasks.size(), 5U);
  EXPECT_EQ(all->tasks.front().id, ids[4]);
  auto cancelled = service->list({.state = TaskState::cancelled, .limit = 100});
  ASSERT_EQ(cancelled->tasks.size(), 2U);
  EXPECT_EQ(cancelled->tasks[0].id, ids[3]);
  EXPECT_EQ(cancelled->tasks[1].id, ids[1]);
  EXPECT_EQ(service->list({.state = TaskState::queued, .limit = 2})->tasks.size(), 2U);
  EXPECT_EQ(service->list({.state = TaskState::success, .limit = 10})->tasks.size(), 0U);
}

// A worker claimed the task, published two steps and died with its process: the next
// process runs the task again and its event log continues where it stopped.
TEST_F(TaskServiceTest, AbandonedTaskIsRerunAfterRestartWithContinuingSeq) {
  std::string id;
  {
    FakeCalculation unused;
    auto service = open(unused);
    id = service->submit(sample_request())->id;
  }
  {
    auto db = storage::SqliteDatabase::open(path_);
    ASSERT_TRUE(db);
    auto backend = SqliteTaskBackend::create(*db);
    ASSERT_TRUE(backend);
    auto claim = (*backend)->claim("crashed-worker", std::chrono::minutes(10), milliseconds(0));
    ASSERT_TRUE(claim && *claim);
    ASSERT_TRUE((*backend)->mark_started(id, 1));
    ASSERT_TRUE((*backend)->append(id, EventType::progress, {{"step", "validating"}}));
    ASSERT_TRUE((*backend)->append(id, EventType::progress, {{"step", "elevation"}}));
    // No ack, no terminal event: the "process" is gone.
  }
  FakeCalculation calculation;
  auto service = open(calculation);
  auto before = service->get(id);
  EXPECT_EQ((*before)->state, TaskState::processing);
  service->start();
  EventCollector resumed;
  auto subscription = service->subscribe(id, 2, resumed.handler());  // client had seq 1..2
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(resumed.wait_for_terminal());
  const auto events = resumed.events();
  expect_contiguous(events, 3);
  ASSERT_GE(events.size(), 2U);
  EXPECT_EQ(events.front().data()["step"], "restarted");
  EXPECT_EQ(events.back().type, EventType::success);
  EXPECT_EQ(events.size(), static_cast<std::size_t>(1 + pipeline::kTotalSteps + 1));
  auto record = service->get(id);
  EXPECT_EQ((*record)->attempts, 2);
  EXPECT_EQ((*record)->state, TaskState::success);
}

// Graceful stop with a task still running leaves it re-runnable, and the next start finishes it.
TEST_F(TaskServiceTest, StopLeavesARunningTaskForTheNextStart) {
  std::string id;
  {
    FakeCalculation holding;
    holding.hold_at_step = 3;
    auto service = open(holding, 1);
    service->start();
    id = service->submit(sample_request())->id;
    ASSERT_TRUE(holding.wait_until_held(1));
    ASSERT_TRUE(wait_for_seq(*service, id, 4));
    service->stop(milliseconds(50));
    auto record = service->get(id);
    EXPECT_EQ((*record)->state, TaskState::processing);
    EXPECT_EQ(testing::terminal_count(*service->events(id, 0, 100)), 0);
  }
  FakeCalculation calculation;
  auto service = open(calculation, 1);
  service->start();
  const auto events = watch_to_end(*service, id);
  expect_contiguous(events);
  EXPECT_EQ(events.back().type, EventType::success);
  EXPECT_EQ(testing::terminal_count(events), 1);
  EXPECT_EQ(calculation.started(), 1);
}

TEST_F(TaskServiceTest, GivesUpOnATaskThatKeepsKillingItsWorker) {
  std::string id;
  {
    FakeCalculation unused;
    auto service = open(unused);
    id = service->submit(sample_request())->id;
  }
  for (int crash = 0; crash < 3; ++crash) {
    auto db = storage::SqliteDatabase::open(path_);
    auto backend = SqliteTaskBackend::create(*db);
    ASSERT_TRUE((*backend)->release_abandoned_claims());
    auto claim = (*backend)->claim("crashing", std::chrono::minutes(10), milliseconds(0));
    ASSERT_TRUE(claim && *claim);
  }
  FakeCalculation calculation;
  auto service = open(calculation);
  service->start();
  const auto events = watch_to_end(*service, id);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].type, EventType::error);
  EXPECT_EQ(events[0].data()["error_code"], "worker_lost");
  EXPECT_EQ(calculation.started(), 0);
}

TEST_F(TaskServiceTest, DeletesFinishedTasksPastTheRetention) {
  FakeCalculation calculation;
  TaskServiceOptions options;
  options.workers = 1;
  options.retention = milliseconds(50);
  options.prune_period = milliseconds(20);
  options.watchdog_period = milliseconds(10);
  options.calculation = calculation.function();
  auto service = testing::open_service(std::move(options), path_);
  ASSERT_TRUE(service);
  (*service)->start();
  const auto id = (*service)->submit(sample_request())->id;
  watch_to_end(**service, id);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((*service)->get(id)->has_value() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_FALSE(*(*service)->get(id));
}

TEST_F(TaskServiceTest, RequiresACalculation) {
  TaskServiceOptions options;
  auto service = testing::open_service(std::move(options), path_);
  ASSERT_FALSE(service);
  EXPECT_EQ(service.error().code, domain::ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace evapo::tasks
