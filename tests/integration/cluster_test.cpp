// The cluster end to end: serve nodes, worker processes, redis-server and PostgreSQL as
// separate processes, killed with SIGKILL and restarted. Nothing acknowledged is lost: every
// task that got a 202 ends with exactly one terminal event and a log without a hole.

#include "cluster.hpp"

#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "../server/test_client.hpp"

namespace evapo::testing {
namespace {

using server::testing::http_call;
using server::testing::http_get;
using server::testing::http_post;
using server::testing::seqs;
using server::testing::WsClient;
using std::chrono::milliseconds;
using std::chrono::seconds;
namespace http = boost::beast::http;

std::string body_for(double latitude, int day = 1) {
  char text[200];
  std::snprintf(
      text, sizeof text,
      R"({"latitude":%.2f,"longitude":-47.6,"start_date":"2024-01-%02d","end_date":"2024-01-10"})",
      latitude, day);
  return text;
}

std::string submit(std::uint16_t port, const std::string& body = body_for(-22.7)) {
  const auto result = http_post(port, "/api/v1/eto/calculations", body);
  EXPECT_EQ(result.status, 202U) << result.body;
  return result.json().value("task_id", std::string());
}

nlohmann::json task(std::uint16_t port, const std::string& id) {
  return http_get(port, "/api/v1/tasks/" + id).json();
}

bool finished(const nlohmann::json& record) {
  const std::string status = record.value("status", std::string());
  return status == "success" || status == "error" || status == "timeout" || status == "cancelled";
}

/// Waits until the task is finished as seen from `port`; its record.
nlohmann::json wait_finished(std::uint16_t port, const std::string& id,
                             std::chrono::milliseconds timeout = seconds(90)) {
  nlohmann::json record;
  wait_until([&] { return finished(record = task(port, id)); }, timeout);
  return record;
}

/// Every event of the task from `since`, read over a WebSocket until the server closes.
std::vector<nlohmann::json> watch(std::uint16_t port, const std::string& id,
                                  std::int64_t since = 0) {
  WsClient client(port, "/ws/task_status/" + id + "?since=" + std::to_string(since));
  auto events = client.read_all(seconds(60));
  EXPECT_EQ(client.close_code(), 1000);
  return events;
}

void expect_one_continuous_log(const std::vector<nlohmann::json>& events, std::int64_t from = 1) {
  ASSERT_FALSE(events.empty());
  std::vector<std::int64_t> expected;
  for (std::size_t i = 0; i < events.size(); ++i)
    expected.push_back(from + static_cast<std::int64_t>(i));
  EXPECT_EQ(seqs(events), expected);
  int terminal = 0;
  for (const auto& event : events) terminal += event.at("type") != "PROGRESS" ? 1 : 0;
  EXPECT_EQ(terminal, 1);
  EXPECT_NE(events.back().at("type"), "PROGRESS");
}

// What a task's events say, without times: type and step.
std::vector<std::string> shape(const std::vector<nlohmann::json>& events) {
  std::vector<std::string> out;
  for (const auto& event : events) {
    out.push_back(event.at("type").get<std::string>() + ":" +
                  event.at("data").value("step", std::string()));
  }
  return out;
}

TEST(Cluster, SubmittedOnOneNodeRunByAWorkerWatchedOnTheOtherAsInEmbeddedMode) {
  Cluster cluster({.nodes = 2, .workers = 1, .step_delay_ms = 50});
  const std::string id = submit(cluster.port(0));
  ASSERT_EQ(id.size(), 32U);
  const auto from_start = watch(cluster.port(1), id, 0);
  expect_one_continuous_log(from_start);
  EXPECT_EQ(from_start.back().at("type"), "SUCCESS");
  const auto from_three = watch(cluster.port(1), id, 3);
  expect_one_continuous_log(from_three, 4);
  EXPECT_EQ(from_three, std::vector<nlohmann::json>(from_start.begin() + 3, from_start.end()));
  // The same through the other node, and the record agrees.
  EXPECT_EQ(watch(cluster.port(0), id, 0), from_start);
  const auto record = task(cluster.port(1), id);
  EXPECT_EQ(record.at("status"), "success");
  EXPECT_EQ(record.at("last_seq"), from_start.size());

  // The embedded server (SQLite, in-process worker) gives the same sequence of events.
  const auto dir = fresh_temp_dir("evapo_embedded");
  ChildProcess embedded(
      {Cluster::host_binary(), "serve", "50"}, dir / "embedded.log",
      {{"EVAPO_PORT", "0"}, {"EVAPO_DATA_DIR", dir.string()}, {"EVAPO_WORKERS", "1"}});
  std::uint16_t port = 0;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto text = read_text(dir / "embedded.log");
        const auto at = text.find("listening on http://127.0.0.1:");
        if (at != std::string::npos)
          port = static_cast<std::uint16_t>(std::stoi(text.substr(at + 30)));
        return port != 0;
      },
      seconds(30)));
  const std::string embedded_id = submit(port);
  const auto embedded_events = watch(port, embedded_id, 0);
  EXPECT_EQ(shape(embedded_events), shape(from_start));
  EXPECT_EQ(embedded_events.back().at("data"), from_start.back().at("data"));
}

TEST(Cluster, WorkerKilledMidTaskIsReplacedAndTheTaskEndsOnce) {
  Cluster cluster({.nodes = 1, .workers = 2, .step_delay_ms = 400, .lease_s = 2});
  const std::string id = submit(cluster.port(0));
  // Find the worker running it (from the heartbeats) once it is past its third step.
  int victim = -1;
  ASSERT_TRUE(wait_until(
      [&] {
        if (task(cluster.port(0), id).value("last_seq", 0) < 3) return false;
        const auto workers = http_get(cluster.port(0), "/api/v1/workers").json();
        for (const auto& worker : workers.value("workers", nlohmann::json::array())) {
          for (const auto& running : worker.at("running_tasks")) {
            if (running != id) continue;
            for (int i = 0; i < cluster.worker_count(); ++i) {
              if (cluster.worker(i).pid() == worker.at("pid").get<int>()) victim = i;
            }
          }
        }
        return victim >= 0;
      },
      seconds(30)));
  cluster.worker(victim).kill_and_wait(SIGKILL);
  const auto record = wait_finished(cluster.port(0), id);
  EXPECT_EQ(record.at("status"), "success");
  EXPECT_EQ(record.at("attempts"), 2);
  const auto events = watch(cluster.port(0), id);
  expect_one_continuous_log(events);
  int restarted = 0;
  for (const auto& event : events) restarted += event.at("data").value("step", "") == "restarted";
  EXPECT_EQ(restarted, 1);
}

TEST(Cluster, ClientsOfAKilledNodeResumeOnTheOtherWithoutMissingAnEvent) {
  Cluster cluster({.nodes = 2, .workers = 1, .step_delay_ms = 300});
  const std::string id = submit(cluster.port(0));
  constexpr int kClients = 5;
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<WsClient>(cluster.port(0), "/ws/task_status/" + id));
  }
  std::vector<std::vector<nlohmann::json>> seen(kClients);
  // Each client reads a few events, then the node dies under them.
  for (int i = 0; i < kClients; ++i) {
    for (int n = 0; n < 2; ++n) {
      auto event = clients[i]->next(seconds(30));
      ASSERT_TRUE(event);
      seen[i].push_back(*event);
    }
  }
  cluster.node_process(0).kill_and_wait(SIGKILL);
  for (int i = 0; i < kClients; ++i) {
    while (auto event = clients[i]->next(seconds(5))) seen[i].push_back(*event);
    const auto last = seen[i].back().at("seq").get<std::int64_t>();
    if (seen[i].back().at("type") != "PROGRESS") continue;
    // Reconnect as the web app does: the other node, from the last seq received.
    WsClient resumed(cluster.port(1), "/ws/task_status/" + id + "?since=" + std::to_string(last));
    for (auto& event : resumed.read_all(seconds(60))) seen[i].push_back(std::move(event));
    EXPECT_EQ(resumed.close_code(), 1000);
  }
  for (int i = 0; i < kClients; ++i) {
    SCOPED_TRACE("client " + std::to_string(i));
    expect_one_continuous_log(seen[i]);
    EXPECT_EQ(seen[i].back().at("type"), "SUCCESS");
  }
}

// Every task that got a 202 before the kill ends with exactly one terminal event.
void expect_all_end_once(Cluster& cluster, const std::vector<std::string>& ids,
                         int port_index = 0) {
  for (const auto& id : ids) {
    SCOPED_TRACE(id);
    const auto record = wait_finished(cluster.port(port_index), id, seconds(120));
    ASSERT_TRUE(finished(record)) << record.dump();
    EXPECT_EQ(record.at("status"), "success");
    expect_one_continuous_log(watch(cluster.port(port_index), id));
  }
}

TEST(Cluster, RedisKilledAndRestartedFromItsAppendOnlyFileLosesNoTask) {
  Cluster cluster({.nodes = 1, .workers = 2, .step_delay_ms = 100});
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(submit(cluster.port(0)));
  ASSERT_TRUE(wait_until([&] { return finished(task(cluster.port(0), ids[0])); }, seconds(60)));
  cluster.redis().kill9();
  std::this_thread::sleep_for(milliseconds(500));
  cluster.redis().start();
  expect_all_end_once(cluster, ids);
}

TEST(Cluster, RedisRestartedEmptyGetsItsTasksBackFromPostgres) {
  Cluster cluster({.nodes = 1, .workers = 1, .step_delay_ms = 100});
  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(submit(cluster.port(0)));
  cluster.redis().kill9();
  // Its data is gone: the append-only files and the queue with them.
  for (const auto& entry : std::filesystem::directory_iterator(cluster.redis().dir())) {
    if (entry.path().filename().string().starts_with("appendonly")) {
      std::filesystem::remove_all(entry.path());
    }
  }
  cluster.redis().start();
  expect_all_end_once(cluster, ids);
}

TEST(Cluster, PostgresStoppedAndStartedMidRunLosesNoTaskAndAnswers503MeanWhile) {
  Cluster cluster({.nodes = 1, .workers = 2, .step_delay_ms = 100});
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(submit(cluster.port(0)));
  ASSERT_TRUE(wait_until([&] { return finished(task(cluster.port(0), ids[0])); }, seconds(60)));
  cluster.postgres().stop();
  const auto refused = http_post(cluster.port(0), "/api/v1/eto/calculations", body_for(-22.7));
  EXPECT_EQ(refused.status, 503U) << refused.body;
  EXPECT_EQ(refused.json()["error"].value("code", ""), "UNAVAILABLE");
  EXPECT_FALSE(std::string(refused.headers[http::field::retry_after]).empty());
  EXPECT_EQ(http_get(cluster.port(0), "/healthz").status, 200U) << "the node itself is alive";
  std::this_thread::sleep_for(seconds(2));
  cluster.postgres().start();
  expect_all_end_once(cluster, ids);
  ids.push_back(submit(cluster.port(0)));  // recovered by itself
  expect_all_end_once(cluster, {ids.back()});
}

TEST(Cluster, PoisonTaskThatKillsEveryWorkerEndsWithWorkerLost) {
  Cluster cluster({.nodes = 1, .workers = 1, .step_delay_ms = 20, .lease_s = 1});
  const std::string id = submit(cluster.port(0), body_for(-89.5));
  const std::string healthy = submit(cluster.port(0));
  int restarts = 0;
  // A supervisor's job (systemd Restart=always): start the worker again each time it dies.
  const bool ended = wait_until(
      [&] {
        if (!cluster.worker(0).running()) {
          ++restarts;
          cluster.start_worker(0);
        }
        return finished(task(cluster.port(0), id));
      },
      seconds(120));
  ASSERT_TRUE(ended);
  const auto events = watch(cluster.port(0), id);
  expect_one_continuous_log(events);
  EXPECT_EQ(events.back().at("type"), "ERROR");
  EXPECT_EQ(events.back().at("data").at("error_code"), "worker_lost");
  EXPECT_EQ(restarts, 3) << "one death per attempt, then it is given up";
  EXPECT_EQ(wait_finished(cluster.port(0), healthy).at("status"), "success");
}

TEST(Cluster, WorkersAreVisibleThroughTheApiAndMetrics) {
  Cluster cluster({.nodes = 1, .workers = 2, .concurrency = 3});
  nlohmann::json workers;
  ASSERT_TRUE(wait_until(
      [&] {
        workers = http_get(cluster.port(0), "/api/v1/workers").json();
        return workers.value("workers", nlohmann::json::array()).size() == 2;
      },
      seconds(20)));
  std::set<int> pids;
  for (const auto& worker : workers.at("workers")) {
    pids.insert(worker.at("pid").get<int>());
    EXPECT_EQ(worker.at("concurrency"), 3);
    EXPECT_FALSE(worker.at("host").get<std::string>().empty());
    EXPECT_EQ(worker.at("last_beat").get<std::string>().size(), 24U);
  }
  EXPECT_EQ(pids, (std::set<int>{cluster.worker(0).pid(), cluster.worker(1).pid()}));
  const auto metrics = http_get(cluster.port(0), "/metrics").body;
  EXPECT_NE(metrics.find("evapo_workers 2"), std::string::npos) << metrics;
  // A worker killed stops beating and drops out.
  cluster.worker(1).kill_and_wait(SIGKILL);
  ASSERT_TRUE(wait_until(
      [&] { return http_get(cluster.port(0), "/api/v1/workers").json()["workers"].size() == 1; },
      seconds(30)));
}

// Bad configuration stops start-up with one message naming the variable.
TEST(Cluster, BadBackendConfigurationStopsStartUpNamingTheVariable) {
  RedisServer redis;
  PostgresServer postgres;
  const auto dir = fresh_temp_dir("evapo_badconfig");
  const std::string evapo = std::string(EVAPO_BINARY_DIR) + "/apps/evapo/evapo";
  struct Case {
    std::string name;
    std::map<std::string, std::string> environment;
    std::string variable;
    std::string reason;
  };
  const std::uint16_t closed_port = free_port();
  const std::vector<Case> cases = {
      {"unreachable redis",
       {{"EVAPO_QUEUE_URL", "redis://127.0.0.1:" + std::to_string(closed_port)},
        {"EVAPO_DATABASE_URL", postgres.url()}},
       "EVAPO_QUEUE_URL",
       "cannot connect"},
      {"wrong scheme",
       {{"EVAPO_QUEUE_URL", "amqp://127.0.0.1"}, {"EVAPO_DATABASE_URL", postgres.url()}},
       "EVAPO_QUEUE_URL",
       "redis://"},
      {"bad database password",
       {{"EVAPO_QUEUE_URL", redis.url()}, {"EVAPO_DATABASE_URL", postgres.url("evapo", "wrong")}},
       "EVAPO_DATABASE_URL",
       "password authentication failed"},
      {"database scheme", {{"EVAPO_DATABASE_URL", "mysql://x"}}, "EVAPO_DATABASE_URL", "scheme"},
      {"postgres without redis",
       {{"EVAPO_DATABASE_URL", postgres.url()}},
       "EVAPO_QUEUE_URL",
       "redis://"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    for (const std::string command : {"serve", "worker"}) {
      auto environment = c.environment;
      environment["EVAPO_PORT"] = "0";
      environment["EVAPO_DATA_DIR"] = dir.string();
      const auto log =
          dir / (command + "_" + std::to_string(std::hash<std::string>{}(c.name)) + ".log");
      ChildProcess process({evapo, command}, log, environment);
      ASSERT_TRUE(process.wait_for_exit(seconds(30))) << command << " kept running";
      EXPECT_EQ(process.exit_code(), 2) << command;
      const std::string text = read_text(log);
      EXPECT_NE(text.find(c.variable), std::string::npos) << command << ": " << text;
      EXPECT_NE(text.find(c.reason), std::string::npos) << command << ": " << text;
      EXPECT_EQ(text.find("secret"), std::string::npos) << "a password in a message: " << text;
    }
  }
}

}  // namespace
}  // namespace evapo::testing
