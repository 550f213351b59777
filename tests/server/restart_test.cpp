// kill -9 of the server process mid-task, then a restart on the same data dir: the task is run
// again and completes, and its event log stays one continuous sequence with one terminal event.

#include <signal.h>

#include <gtest/gtest.h>

#include "host_process.hpp"
#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

TEST(ServerRestart, KillDashNineMidTaskThenRestartCompletesTheTaskWithAContinuousLog) {
  const auto dir = temp_dir("restart");
  std::string id;
  std::int64_t last_seen = 0;
  {
    HostProcess first(dir, 400);
    ASSERT_NE(first.port(), 0) << "host did not start";
    const auto posted =
        http_post(first.port(), "/api/v1/eto/calculations", RunningServer::kValidBody);
    ASSERT_EQ(posted.status, 202U);
    id = posted.json().at("task_id");
    WsClient ws(first.port(), "/ws/task_status/" + id);
    for (int i = 0; i < 2; ++i) {
      auto event = ws.next();
      ASSERT_TRUE(event);
      EXPECT_EQ(event->at("type"), "PROGRESS");
      last_seen = event->at("seq");
    }
    first.kill_now(SIGKILL);
  }
  HostProcess second(dir, 10);
  ASSERT_NE(second.port(), 0) << "host did not restart";
  WsClient resumed(second.port(), "/ws/task_status/" + id + "?since=" + std::to_string(last_seen));
  const auto rest = resumed.read_all();
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.front().at("seq"), last_seen + 1);
  EXPECT_EQ(rest.back().at("type"), "SUCCESS");
  EXPECT_EQ(resumed.close_code(), 1000);

  expect_one_continuous_log_ending_in_success(second.port(), id);
  const auto record = http_get(second.port(), "/api/v1/tasks/" + id).json();
  EXPECT_EQ(record.at("status"), "success");
  EXPECT_GE(record.at("attempts").get<int>(), 2);
  std::filesystem::remove_all(dir);
}

TEST(ServerRestart, SigtermStopsGracefully) {
  const auto dir = temp_dir("sigterm");
  HostProcess host(dir, 0);
  ASSERT_NE(host.port(), 0);
  EXPECT_EQ(http_get(host.port(), "/readyz").status, 200U);
  host.kill_now(SIGTERM);  // waits for the exit; a hang would time the test out
  EXPECT_EQ(http_get(host.port(), "/healthz").status, 0U);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace evapo::server::testing
