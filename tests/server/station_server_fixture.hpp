#pragma once

// The real server with the stores of datasets and sites and an operations channel, as `evapo
// serve` wires them, on port 0 over a real TaskService; datasets compute for real (the same code
// as `evapo eto`), the public sources of a comparison are a fake. Also: a recorder of the
// channel's events.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <evapo/datasets/dataset_calculation.hpp>
#include <evapo/ops/event_channel.hpp>
#include <evapo/server/config.hpp>
#include <evapo/server/server.hpp>
#include <evapo/server/workspace_services.hpp>
#include <evapo/storage/workspace_stores.hpp>
#include <evapo/tasks/task_backends.hpp>
#include <evapo/tasks/task_service.hpp>

#include "fake_calculation.hpp"
#include "server_fixture.hpp"
#include "test_client.hpp"

namespace evapo::server::testing {

/// Every event published on a channel since it was made, with a wait on a condition.
class EventRecorder {
 public:
  explicit EventRecorder(ops::EventChannel& channel) {
    auto subscription = channel.subscribe(
        ops::TopicSet::all(), std::nullopt, [this](const std::vector<ops::OpsEventPtr>& events) {
          std::lock_guard lock(mutex_);
          for (const auto& event : events) {
            events_.push_back(nlohmann::json::parse(*event->wire));
          }
          changed_.notify_all();
        });
    if (!subscription) throw std::runtime_error(subscription.error().message);
    subscription_ = std::move(*subscription);
  }

  std::vector<nlohmann::json> of_type(const std::string& type) {
    std::lock_guard lock(mutex_);
    std::vector<nlohmann::json> found;
    for (const auto& event : events_) {
      if (event["type"] == type) found.push_back(event);
    }
    return found;
  }

  /// Waits (up to 20 s) until `count` events of `type` came; returns them.
  std::vector<nlohmann::json> wait_for(const std::string& type, std::size_t count = 1) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::unique_lock lock(mutex_);
    while (true) {
      std::vector<nlohmann::json> found;
      for (const auto& event : events_) {
        if (event["type"] == type) found.push_back(event);
      }
      if (found.size() >= count || std::chrono::steady_clock::now() >= deadline) return found;
      changed_.wait_until(lock, deadline);
    }
  }

  std::vector<std::string> types() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> found;
    for (const auto& event : events_) found.push_back(event["type"].get<std::string>());
    return found;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<nlohmann::json> events_;
  tasks::Subscription subscription_;
};

/// The public sources of a comparison, as the pipeline's JSON: ETo 4.0 mm on the first day of
/// each week, 0.5 mm more on each following day (a series that varies, so KGE and R² exist).
inline tasks::CalculationFn fake_public_sources() {
  return [](const pipeline::CalculationRequest& request, pipeline::ProgressSink&,
            const pipeline::RunControl&) -> domain::Expected<nlohmann::json> {
    nlohmann::json results = nlohmann::json::array();
    int index = 0;
    for (auto day = request.start_date; day <= request.end_date; day = domain::add_days(day, 1)) {
      results.push_back(
          {{"date", domain::format_iso_date(day)}, {"eto_mm", 4.0 + 0.5 * (index++ % 7)}});
    }
    return nlohmann::json{{"results", results}, {"warnings", nlohmann::json::array()}};
  };
}

class StationServer {
 public:
  explicit StationServer(ServerConfig config = {})
      : fake_(std::make_shared<FakeControl>()), dir_(temp_dir("stations")) {
    config.port = 0;
    config.host = "127.0.0.1";
    config.data_dir = dir_.string();
    auto channel =
        ops::open_event_channel("sqlite://" + (dir_ / "ops.sqlite3").string(), "test-node");
    if (!channel) throw std::runtime_error(channel.error().message);
    channel_ = *channel;
    events_ = std::make_unique<EventRecorder>(*channel_);
    auto stores =
        storage::open_workspace_stores("sqlite://" + (dir_ / "workspaces.sqlite3").string());
    if (!stores) throw std::runtime_error(stores.error().message);
    services_ = std::make_unique<WorkspaceServices>(WorkspaceServices{
        .stores = *stores,
        .access = std::make_shared<WorkspaceAccess>(stores->workspaces, config.admin_token),
        .channel = channel_.get()});
    tasks::TaskServiceOptions options;
    options.workers = 2;
    options.watchdog_period = std::chrono::milliseconds(20);
    options.calculation = datasets::route_calculations(
        datasets::dataset_calculation(stores->datasets, fake_public_sources()),
        fake_calculation(fake_));
    auto backends = tasks::open_task_backends(
        {.database_url = "sqlite://" + (dir_ / "evapo.sqlite3").string()});
    if (!backends) throw std::runtime_error(backends.error().message);
    auto service = tasks::TaskService::open(std::move(options), std::move(*backends));
    if (!service) throw std::runtime_error(service.error().message);
    tasks_ = std::move(*service);
    server_ =
        std::make_unique<Server>(config, *tasks_, ServerServices{.workspaces = services_.get()});
    auto port = server_->start();
    if (!port) throw std::runtime_error(port.error().message);
    port_ = *port;
    tasks_->start();
  }

  ~StationServer() {
    server_->stop_accepting();
    tasks_->stop(std::chrono::milliseconds(0));
    server_->stop();
    server_.reset();
    tasks_.reset();
    events_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::uint16_t port() const { return port_; }
  EventRecorder& events() { return *events_; }
  WorkspaceServices& services() { return *services_; }
  const std::filesystem::path& dir() const { return dir_; }
  Server& server() { return *server_; }

 private:
  std::shared_ptr<FakeControl> fake_;
  std::filesystem::path dir_;
  std::shared_ptr<ops::EventChannel> channel_;
  std::unique_ptr<EventRecorder> events_;
  std::unique_ptr<WorkspaceServices> services_;
  std::unique_ptr<tasks::TaskService> tasks_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

/// A new workspace's key (fails the test otherwise).
inline std::string new_workspace_key(std::uint16_t port) {
  const auto created = http_call(port, http::verb::post, "/api/v1/workspaces", "{}");
  EXPECT_EQ(created.status, 201U) << created.body;
  return created.json().value("key", std::string());
}

inline std::map<std::string, std::string> bearer(const std::string& key) {
  return {{"Authorization", "Bearer " + key}};
}

inline HttpResult authed(std::uint16_t port, http::verb method, const std::string& target,
                         const std::string& key, const std::string& body = {},
                         const std::string& content_type = "application/json") {
  auto headers = bearer(key);
  headers["Content-Type"] = content_type;
  return http_call(port, method, target, body, headers);
}

}  // namespace evapo::server::testing
