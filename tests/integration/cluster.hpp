#pragma once

// A cluster for the tests: a real redis-server and PostgreSQL, `serve` nodes and `worker`
// processes (evapo_cluster_test_host: the real server and worker over the fake calculation),
// each a separate process the tests can kill -9 and start again.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "../support/child_process.hpp"
#include "../support/postgres_server.hpp"
#include "../support/redis_server.hpp"

namespace evapo::testing {

struct ClusterOptions {
  int nodes = 2;            // serve processes (API + live events, no workers)
  int workers = 1;          // worker processes
  int concurrency = 1;      // calculations per worker
  int step_delay_ms = 100;  // the fake's time per pipeline step
  int lease_s = 2;          // short, so a dead worker's task is taken over quickly
};

class Cluster {
 public:
  explicit Cluster(ClusterOptions options = {})
      : options_(options), dir_(fresh_temp_dir("evapo_cluster")) {
    for (int i = 0; i < options_.nodes; ++i) {
      nodes_.emplace_back();
      start_node(i);
    }
    for (int i = 0; i < options_.workers; ++i) {
      workers_.emplace_back();
      start_worker(i);
    }
  }
  ~Cluster() {
    for (auto& worker : workers_) worker.kill_and_wait(SIGKILL);
    for (auto& node : nodes_) node.process.kill_and_wait(SIGKILL);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::uint16_t port(int node) const { return nodes_.at(static_cast<std::size_t>(node)).port; }
  ChildProcess& node_process(int node) { return nodes_.at(static_cast<std::size_t>(node)).process; }
  ChildProcess& worker(int index) { return workers_.at(static_cast<std::size_t>(index)); }
  int worker_count() const { return static_cast<int>(workers_.size()); }
  RedisServer& redis() { return redis_; }
  PostgresServer& postgres() { return postgres_; }
  const std::filesystem::path& dir() const { return dir_; }

  std::map<std::string, std::string> environment(const std::string& role, int index) const {
    return {{"EVAPO_QUEUE_URL", redis_.url()},
            {"EVAPO_DATABASE_URL", postgres_.url()},
            {"EVAPO_PORT", "0"},
            {"EVAPO_DATA_DIR", (dir_ / (role + std::to_string(index))).string()},
            {"EVAPO_WORKERS", role == "node" ? "0" : std::to_string(options_.concurrency)},
            {"EVAPO_TASK_LEASE_S", std::to_string(options_.lease_s)},
            {"EVAPO_SHUTDOWN_GRACE_S", "0"},
            {"EVAPO_RATE_LIMIT_PER_S", "0"}};
  }

  /// Starts serve node `index` (again) and waits for its port.
  void start_node(int index) {
    auto& node = nodes_.at(static_cast<std::size_t>(index));
    const auto log =
        dir_ / ("node" + std::to_string(index) + "_" + std::to_string(++starts_) + ".log");
    node.process = ChildProcess({host_binary(), "serve", std::to_string(options_.step_delay_ms)},
                                log, environment("node", index));
    const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
    node.port = 0;
    wait_until(
        [&] {
          std::smatch match;
          const std::string text = read_text(log);
          if (std::regex_search(text, match, listening)) {
            node.port = static_cast<std::uint16_t>(std::stoi(match[1]));
          }
          return node.port != 0 || !node.process.running();
        },
        std::chrono::seconds(60));
    if (node.port == 0) throw std::runtime_error("serve node did not start: " + read_text(log));
  }

  /// Starts worker `index` (again) and waits until it runs.
  void start_worker(int index) {
    const auto log =
        dir_ / ("worker" + std::to_string(index) + "_" + std::to_string(++starts_) + ".log");
    auto& worker = workers_.at(static_cast<std::size_t>(index));
    worker = ChildProcess({host_binary(), "worker", std::to_string(options_.step_delay_ms)}, log,
                          environment("worker", index));
    const bool up = wait_until(
        [&] {
          return read_text(log).find("evapo worker:") != std::string::npos || !worker.running();
        },
        std::chrono::seconds(60));
    if (!up || !worker.running())
      throw std::runtime_error("worker did not start: " + read_text(log));
  }

  static std::string host_binary() {
    return std::string(EVAPO_BINARY_DIR) + "/tests/integration/evapo_cluster_test_host";
  }

 private:
  struct Node {
    ChildProcess process;
    std::uint16_t port = 0;
  };
  ClusterOptions options_;
  std::filesystem::path dir_;
  RedisServer redis_;
  PostgresServer postgres_;
  std::vector<Node> nodes_;
  std::vector<ChildProcess> workers_;
  int starts_ = 0;
};

}  // namespace evapo::testing
