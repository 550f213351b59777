// SIGTERM to `evapo serve` (issue 4 section 1): it stops accepting at once, lets a running task
// finish within the grace period, otherwise leaves it re-runnable with nothing half-written.
// The host runs as its own process; a restart on the same data dir shows what was stored.

#include <chrono>
#include <signal.h>
#include <thread>

#include <gtest/gtest.h>

#include <evapo/tasks/task_service.hpp>

#include "host_process.hpp"
#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

std::string submit(std::uint16_t port) {
  const auto posted = http_post(port, "/api/v1/eto/calculations", RunningServer::kValidBody);
  EXPECT_EQ(posted.status, 202U) << posted.body;
  return posted.json().value("task_id", std::string());
}

/// Reads `count` PROGRESS events: the task is running once they came.
void await_progress(WsClient& watcher, int count) {
  for (int i = 0; i < count; ++i) {
    const auto event = watcher.next();
    ASSERT_TRUE(event) << "no progress: " << watcher.error().message();
    ASSERT_EQ(event->at("type"), "PROGRESS");
  }
}

/// A task still running when the grace period ends: its watcher gets a going-away close (it
/// resumes with ?since= after a restart) and no terminal event.
void expect_going_away(WsClient& watcher) {
  const auto rest = watcher.read_all(seconds(60));
  EXPECT_EQ(watcher.close_code(), 1001) << watcher.error().message();
  for (const auto& event : rest) EXPECT_EQ(event.at("type"), "PROGRESS");
}

/// A task that finishes in the grace period: its watcher still receives the SUCCESS, then the
/// normal close.
void expect_success_delivered(WsClient& watcher) {
  const auto rest = watcher.read_all(seconds(60));
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.back().at("type"), "SUCCESS");
  EXPECT_EQ(watcher.close_code(), 1000) << watcher.error().message();
}

TEST(ServerShutdown, SigtermLetsARunningTaskThatFitsTheGracePeriodFinish) {
  const auto dir = temp_dir("grace_fits");
  std::string id;
  {
    // Seven steps of 300 ms: about 1.8 s left after the second, well within the 60 s of grace
    // even on a loaded machine (the calculation runs at idle priority).
    HostProcess host(dir, 300, 60);
    ASSERT_NE(host.port(), 0) << "host did not start";
    id = submit(host.port());
    WsClient watcher(host.port(), "/ws/task_status/" + id);
    await_progress(watcher, 2);
    const auto signalled = steady_clock::now();
    host.send(SIGTERM);
    expect_success_delivered(watcher);
    ASSERT_TRUE(host.wait_for_exit(seconds(90))) << "still running well past the grace period";
    EXPECT_EQ(host.exit_code(), 0);
    EXPECT_GE(steady_clock::now() - signalled, milliseconds(1000))
        << "exited before its running task could have finished";
  }
  HostProcess restarted(dir, 10);
  ASSERT_NE(restarted.port(), 0) << "host did not restart";
  const auto record = http_get(restarted.port(), "/api/v1/tasks/" + id).json();
  EXPECT_EQ(record.at("status"), "success");
  EXPECT_EQ(record.at("attempts"), 1) << "finished by the first process, not re-run";
  expect_one_continuous_log_ending_in_success(restarted.port(), id);
  std::filesystem::remove_all(dir);
}

TEST(ServerShutdown, SigtermLeavesATaskThatOutrunsTheGracePeriodReRunnable) {
  const auto dir = temp_dir("grace_exceeded");
  std::string id;
  {
    // Seven steps of 500 ms: about 2.5 s left after the second, more than the 1 s of grace.
    HostProcess host(dir, 500, 1);
    ASSERT_NE(host.port(), 0) << "host did not start";
    id = submit(host.port());
    WsClient watcher(host.port(), "/ws/task_status/" + id);
    await_progress(watcher, 2);
    const auto signalled = steady_clock::now();
    host.send(SIGTERM);
    expect_going_away(watcher);
    ASSERT_TRUE(host.wait_for_exit(seconds(60))) << "still running well past the grace period";
    const auto stopped_after = steady_clock::now() - signalled;
    EXPECT_EQ(host.exit_code(), 0);
    EXPECT_GE(stopped_after, milliseconds(900)) << "did not give the task its grace period";
    // That it did not wait for the task to finish is what the store shows below (no terminal
    // event); a wall-clock bound here would only measure how loaded the machine is.
  }
  {
    // The store as the stopped process left it, read without running anything.
    tasks::TaskServiceOptions options;
    options.calculation = fake_calculation(std::make_shared<FakeControl>());
    auto backends =
        tasks::open_task_backends({.database_url = "sqlite://" + (dir / "evapo.sqlite3").string()});
    ASSERT_TRUE(backends) << backends.error().message;
    auto store = tasks::TaskService::open(std::move(options), std::move(*backends));
    ASSERT_TRUE(store) << store.error().message;
    const auto record = (*store)->get(id);
    ASSERT_TRUE(record && *record);
    EXPECT_FALSE(tasks::is_terminal((*record)->state)) << tasks::to_string((*record)->state);
    const auto events = (*store)->events(id, 0, 1000);
    ASSERT_TRUE(events);
    ASSERT_FALSE(events->empty());
    for (std::size_t i = 0; i < events->size(); ++i) {
      EXPECT_EQ((*events)[i].seq, static_cast<std::int64_t>(i + 1));
      EXPECT_FALSE(tasks::is_terminal((*events)[i].type)) << "a terminal event was written";
    }
  }
  HostProcess restarted(dir, 10);
  ASSERT_NE(restarted.port(), 0) << "host did not restart";
  expect_one_continuous_log_ending_in_success(restarted.port(), id);
  const auto record = http_get(restarted.port(), "/api/v1/tasks/" + id).json();
  EXPECT_EQ(record.at("status"), "success");
  EXPECT_EQ(record.at("attempts"), 2);
  std::filesystem::remove_all(dir);
}

TEST(ServerShutdown, SigtermStopsAcceptingConnectionsWhileTheRunningTaskFinishes) {
  const auto dir = temp_dir("grace_refuses");
  std::string id;
  {
    // Steps of 2 s: the task still runs (10 s left) while the test sees the acceptor close.
    HostProcess host(dir, 2000, 120);
    ASSERT_NE(host.port(), 0) << "host did not start";
    id = submit(host.port());
    WsClient watcher(host.port(), "/ws/task_status/" + id);
    await_progress(watcher, 2);
    host.send(SIGTERM);
    // The acceptor closes on its own strand, a moment after the signal.
    unsigned health = http_get(host.port(), "/healthz").status;
    const auto give_up = steady_clock::now() + seconds(30);
    while (health != 0 && steady_clock::now() < give_up) {
      std::this_thread::sleep_for(milliseconds(10));
      health = http_get(host.port(), "/healthz").status;
    }
    EXPECT_EQ(health, 0U) << "still accepting connections after SIGTERM";
    EXPECT_EQ(http_post(host.port(), "/api/v1/eto/calculations", RunningServer::kValidBody).status,
              0U);
    EXPECT_TRUE(host.running()) << "exited without waiting for the running task";
    expect_success_delivered(watcher);
    ASSERT_TRUE(host.wait_for_exit(seconds(120))) << "still running well past the grace period";
  }
  HostProcess restarted(dir, 10);
  ASSERT_NE(restarted.port(), 0) << "host did not restart";
  const auto record = http_get(restarted.port(), "/api/v1/tasks/" + id).json();
  EXPECT_EQ(record.at("status"), "success");
  EXPECT_EQ(record.at("attempts"), 1);
  const auto listed = http_get(restarted.port(), "/api/v1/tasks").json();
  EXPECT_EQ(listed.at("tasks").size(), 1U) << "a request after SIGTERM created a task";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace evapo::server::testing
