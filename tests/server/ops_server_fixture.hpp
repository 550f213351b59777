#pragma once

// The real server with its operations channel (as `evapo serve` wires them), on port 0 over a
// real TaskService running the fake calculation, and a client of the channel's WebSocket.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <evapo/ops/operations.hpp>
#include <evapo/server/config.hpp>
#include <evapo/server/metrics.hpp>
#include <evapo/server/server.hpp>
#include <evapo/tasks/task_backends.hpp>
#include <evapo/tasks/task_service.hpp>

#include "server_fixture.hpp"

namespace evapo::server::testing {

class OpsServer {
 public:
  explicit OpsServer(ServerConfig config = {}, std::shared_ptr<FakeControl> fake = nullptr)
      : fake_(fake ? fake : std::make_shared<FakeControl>()), dir_(temp_dir("ops")) {
    config.port = 0;
    config.data_dir = dir_.string();
    const auto ops_file = (dir_ / "ops.sqlite3").string();
    auto ops = ops::Operations::open({.channel_url = "sqlite://" + ops_file,
                                      .priors_path = ops_file,
                                      .node = "test-node",
                                      .data_dir = dir_.string(),
                                      .sources = {{"nasa_power", true}}});
    if (!ops) throw std::runtime_error(ops.error().message);
    ops_ = std::move(*ops);
    tasks::TaskServiceOptions options;
    options.workers = 2;
    options.watchdog_period = std::chrono::milliseconds(20);
    options.calculation = fake_calculation(fake_);
    options.event_observer = [ops = ops_.get()](const tasks::TaskEvent& event) {
      ops->calculations().observe(event);
    };
    auto backends = tasks::open_task_backends(
        {.database_url = "sqlite://" + (dir_ / "evapo.sqlite3").string()});
    if (!backends) throw std::runtime_error(backends.error().message);
    auto service = tasks::TaskService::open(std::move(options), std::move(*backends));
    if (!service) throw std::runtime_error(service.error().message);
    tasks_ = std::move(*service);
    ops_->calculations().set_task_lookup(
        [service = tasks_.get()](const std::string& id) -> std::optional<tasks::TaskRecord> {
          auto record = service->get(id);
          return record ? *record : std::nullopt;
        });
    server_ = std::make_unique<Server>(config, *tasks_, ServerServices{.operations = ops_.get()});
    ops::NodeProbes probes;
    probes.task_counts = [service = tasks_.get()] { return service->counts(); };
    probes.connections = [server = server_.get()] {
      return ops::ConnectionCounts{server->metrics().websocket_connections(),
                                   server->metrics().sse_connections(),
                                   server->metrics().requests_total()};
    };
    ops_->set_probes(probes);
    auto port = server_->start();
    if (!port) throw std::runtime_error(port.error().message);
    port_ = *port;
    tasks_->start();
    ops_->start();
  }

  ~OpsServer() {
    server_->stop_accepting();
    fake_->open_gate();
    tasks_->stop(std::chrono::milliseconds(0));
    ops_->stop();
    server_->stop();
    server_.reset();
    tasks_.reset();
    ops_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::uint16_t port() const { return port_; }
  FakeControl& fake() { return *fake_; }
  ops::Operations& ops() { return *ops_; }
  Server& server() { return *server_; }
  tasks::TaskService& tasks() { return *tasks_; }

  std::string submit() {
    const auto result = http_post(port_, "/api/v1/eto/calculations", RunningServer::kValidBody);
    EXPECT_EQ(result.status, 202U) << result.body;
    return result.json().value("task_id", std::string());
  }

 private:
  std::shared_ptr<FakeControl> fake_;
  std::filesystem::path dir_;
  std::unique_ptr<ops::Operations> ops_;
  std::unique_ptr<tasks::TaskService> tasks_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

/// Waits (generously) until the task is in `state`.
inline bool eventually_state(tasks::TaskService& tasks, const std::string& id,
                             tasks::TaskState state,
                             std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto record = tasks.get(id);
    if (record && *record && (*record)->state == state) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

/// A client of WS /ws/events: splits each message into its events (one JSON object per line).
class OpsEventsClient {
 public:
  OpsEventsClient(std::uint16_t port, const std::string& target) : ws_(port, target) {}

  /// The next event (reading a new message when the last one is used up), or nullopt on close.
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    if (pending_.empty()) {
      auto message = ws_.next_text(timeout);
      if (!message) return std::nullopt;
      ++messages_;
      std::size_t start = 0;
      while (start <= message->size()) {
        const auto end = std::min(message->find('\n', start), message->size());
        pending_.push_back(nlohmann::json::parse(message->substr(start, end - start)));
        start = end + 1;
      }
    }
    auto event = std::move(pending_.front());
    pending_.erase(pending_.begin());
    return event;
  }

  /// Events until one satisfies `done` (included), or nullopt when the stream ended first.
  std::vector<nlohmann::json> until(const std::function<bool(const nlohmann::json&)>& done,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    std::vector<nlohmann::json> out;
    while (auto event = next(timeout)) {
      out.push_back(*event);
      if (done(*event)) break;
    }
    return out;
  }

  int messages() const { return messages_; }
  WsClient& socket() { return ws_; }

 private:
  WsClient ws_;
  std::vector<nlohmann::json> pending_;
  int messages_ = 0;
};

}  // namespace evapo::server::testing
