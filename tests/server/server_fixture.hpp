#pragma once

// Starts the real server (in-process) on port 0 over a real TaskService in a temporary data dir.

#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include <evapo/server/config.hpp>
#include <evapo/server/server.hpp>
#include <evapo/storage/sqlite_database.hpp>
#include <evapo/tasks/task_backends.hpp>
#include <evapo/tasks/task_service.hpp>

#include "fake_calculation.hpp"
#include "test_client.hpp"

namespace evapo::server::testing {

inline std::filesystem::path temp_dir(const std::string& name) {
  std::random_device random;
  auto dir = std::filesystem::temp_directory_path() /
             ("evapo_server_" + name + "_" + std::to_string(random()));
  std::filesystem::create_directories(dir);
  return dir;
}

class RunningServer {
 public:
  /// `calculation` replaces the fake (the real pipeline in the end-to-end test); `services` adds
  /// the land polygons and the place search; `database` replaces the task store's own connection
  /// (tests that act on the file).
  explicit RunningServer(ServerConfig config = {}, std::shared_ptr<FakeControl> fake = nullptr,
                         tasks::CalculationFn calculation = nullptr, ServerServices services = {},
                         std::shared_ptr<storage::SqliteDatabase> database = nullptr)
      : fake_(fake ? fake : std::make_shared<FakeControl>()), dir_(temp_dir("fixture")) {
    config.port = 0;
    config.host = "127.0.0.1";
    config.data_dir = dir_.string();
    tasks::TaskServiceOptions options;
    options.workers = config.workers > 0 ? config.workers : 2;
    options.task_timeout = std::chrono::seconds(config.task_timeout_s);
    options.watchdog_period = std::chrono::milliseconds(20);
    options.calculation = calculation ? std::move(calculation) : fake_calculation(fake_);
    auto backends = database
                        ? tasks::open_sqlite_task_backends(std::move(database))
                        : tasks::open_task_backends(
                              {.database_url = "sqlite://" + (dir_ / "evapo.sqlite3").string()});
    if (!backends) throw std::runtime_error(backends.error().message);
    auto service = tasks::TaskService::open(std::move(options), std::move(*backends));
    if (!service) throw std::runtime_error(service.error().message);
    tasks_ = std::move(*service);
    server_ = std::make_unique<Server>(config, *tasks_, std::move(services));
    auto port = server_->start();
    if (!port) throw std::runtime_error(port.error().message);
    port_ = *port;
    tasks_->start();
  }

  ~RunningServer() {
    server_->stop_accepting();
    fake_->open_gate();
    tasks_->stop(std::chrono::milliseconds(0));
    server_->stop();
    server_.reset();
    tasks_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::uint16_t port() const { return port_; }
  FakeControl& fake() { return *fake_; }
  Server& server() { return *server_; }
  tasks::TaskService& tasks() { return *tasks_; }

  /// POSTs a valid calculation and returns its task id (fails the test otherwise); the task's
  /// cancel token is kept for cancel().
  std::string submit(const std::string& body = kValidBody) {
    const auto result = http_post(port_, "/api/v1/eto/calculations", body);
    EXPECT_EQ(result.status, 202U) << result.body;
    const auto answer = result.json();
    const std::string id = answer.value("task_id", std::string());
    cancel_tokens_[id] = answer.value("cancel_token", std::string());
    return id;
  }

  /// The cancel token the server returned when `id` was submitted through submit().
  std::string cancel_token(const std::string& id) const {
    const auto found = cancel_tokens_.find(id);
    return found == cancel_tokens_.end() ? std::string() : found->second;
  }

  /// DELETE /api/v1/tasks/{id} with the task's cancel token.
  HttpResult cancel(const std::string& id) {
    return http_call(port_, http::verb::delete_, "/api/v1/tasks/" + id, {},
                     {{"Authorization", "Bearer " + cancel_token(id)}});
  }

  static constexpr const char* kValidBody =
      R"({"latitude":39.5,"longitude":-118.8,"start_date":"2015-01-01","end_date":"2015-01-10"})";

 private:
  std::shared_ptr<FakeControl> fake_;
  std::filesystem::path dir_;
  std::unique_ptr<tasks::TaskService> tasks_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::map<std::string, std::string> cancel_tokens_;
};

/// The task's whole stored event log, read on a fresh connection to a restarted host; expects
/// seq 1..N without a gap and one terminal event, a SUCCESS, at the end.
inline void expect_one_continuous_log_ending_in_success(std::uint16_t port, const std::string& id) {
  WsClient everything(port, "/ws/task_status/" + id);
  const auto log = everything.read_all();
  ASSERT_FALSE(log.empty());
  std::vector<std::int64_t> expected;
  for (std::size_t i = 1; i <= log.size(); ++i) expected.push_back(static_cast<std::int64_t>(i));
  EXPECT_EQ(seqs(log), expected);
  int terminal = 0;
  for (const auto& event : log) terminal += event.at("type") != "PROGRESS" ? 1 : 0;
  EXPECT_EQ(terminal, 1);
  EXPECT_EQ(log.back().at("type"), "SUCCESS");
  EXPECT_EQ(everything.close_code(), 1000);
}

}  // namespace evapo::server::testing
