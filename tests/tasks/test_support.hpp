#pragma once

// Shared helpers of the task tests: a fresh database file per test and a controllable fake
// calculation standing in for pipeline::run_calculation.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/domain/date.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/tasks/calculation_fn.hpp>
#include <evapo/tasks/event_bus.hpp>
#include <evapo/tasks/task_backends.hpp>
#include <evapo/tasks/task_event.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::tasks::testing {

/// A database path unique to this process and test, removed (with its WAL) beforehand.
inline std::string temp_db_path() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const auto dir =
      std::filesystem::temp_directory_path() / ("evapo_tasks_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / (std::string(info->test_suite_name()) + "_" + info->name() + ".sqlite3");
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
  return path.string();
}

/// A TaskService on the embedded backends (SQLite at `path`), as `evapo serve` opens it.
inline domain::Expected<std::unique_ptr<TaskService>> open_service(TaskServiceOptions options,
                                                                   const std::string& path) {
  auto backends = open_task_backends({.database_url = "sqlite://" + path});
  if (!backends) return domain::fail(backends.error());
  return TaskService::open(std::move(options), std::move(*backends));
}

inline pipeline::CalculationRequest sample_request() {
  pipeline::CalculationRequest request;
  request.latitude_deg = -22.7;
  request.longitude_deg = -47.6;
  request.start_date = std::chrono::year{2024} / 1 / 1;
  request.end_date = std::chrono::year{2024} / 1 / 31;
  return request;
}

/// A fake calculation: reports every pipeline step, then succeeds with one result row per day.
/// `hold_at_step` >= 0 makes it wait after reporting that step until released, cancelled or past
/// the deadline; `fail_with` makes it end with that error instead of succeeding.
class FakeCalculation {
 public:
  int hold_at_step = -1;
  std::optional<domain::Error> fail_with;
  bool ignore_cancel = false;  // keeps holding even when cancelled (until released)

  CalculationFn function() {
    return [this](const pipeline::CalculationRequest& request, pipeline::ProgressSink& sink,
                  const pipeline::RunControl& control) { return run(request, sink, control); };
  }

  /// Lets a held calculation go on.
  void release() {
    {
      std::lock_guard lock(mutex_);
      released_ = true;
    }
    changed_.notify_all();
  }

  /// Waits until `count` calculations have reached the hold point.
  bool wait_until_held(int count, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return held_ >= count; });
  }

  int started() const { return started_.load(); }

 private:
  domain::Expected<nlohmann::json> run(const pipeline::CalculationRequest& request,
                                       pipeline::ProgressSink& sink,
                                       const pipeline::RunControl& control) {
    ++started_;
    for (int i = 0; i < pipeline::kTotalSteps; ++i) {
      pipeline::Progress progress;
      progress.step = pipeline::kSteps[i];
      progress.current_step = i + 1;
      progress.total_steps = pipeline::kTotalSteps;
      progress.progress = (i + 1) * 100 / (pipeline::kTotalSteps + 1);
      progress.message = "step " + progress.step;
      if (progress.step == std::string("downloading")) {
        progress.sources.push_back({domain::SourceId::nasa_power, "done", ""});
      }
      sink.report(progress);
      if (i == hold_at_step) {
        std::unique_lock lock(mutex_);
        ++held_;
        changed_.notify_all();
        while (!released_) {
          if (!ignore_cancel && control.cancelled && control.cancelled->load()) {
            return domain::fail(domain::Error::cancelled("stopped"));
          }
          if (!ignore_cancel && std::chrono::steady_clock::now() >= control.deadline) {
            return domain::fail(domain::Error::timeout("deadline passed"));
          }
          changed_.wait_for(lock, std::chrono::milliseconds(5));
        }
      }
    }
    if (fail_with) return domain::fail(*fail_with);
    nlohmann::json results = nlohmann::json::array();
    const int days = domain::days_between(request.start_date, request.end_date) + 1;
    for (int d = 0; d < days; ++d) {
      results.push_back({{"date", domain::format_iso_date(domain::add_days(request.start_date, d))},
                         {"eto_mm", 4.0}});
    }
    return nlohmann::json{{"results", std::move(results)},
                          {"warnings", nlohmann::json::array()},
                          {"location", {{"latitude", request.latitude_deg}}}};
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  bool released_ = false;
  int held_ = 0;
  std::atomic<int> started_{0};
};

/// Collects delivered events thread-safely and lets a test wait for the terminal one.
class EventCollector {
 public:
  void operator()(const TaskEvent& event) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(event);
    }
    changed_.notify_all();
  }

  EventHandler handler() {
    return [this](const TaskEvent& event) { (*this)(event); };
  }

  bool wait_for_terminal(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout,
                             [&] { return !events_.empty() && is_terminal(events_.back().type); });
  }

  bool wait_for_count(std::size_t count,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return events_.size() >= count; });
  }

  std::vector<TaskEvent> events() {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<TaskEvent> events_;
};

/// Asserts seq runs 1..n (or from+1..) with no gap or duplicate.
inline void expect_contiguous(const std::vector<TaskEvent>& events, std::int64_t first_seq = 1) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq, first_seq + static_cast<std::int64_t>(i)) << "at index " << i;
  }
}

/// Waits until the task's log reaches `seq`: the worker publishes progress shortly after the
/// calculation reports it, so a held calculation's steps are not yet all stored when it holds.
inline bool wait_for_seq(TaskService& service, const std::string& task_id, std::int64_t seq,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < give_up) {
    auto record = service.get(task_id);
    if (record && *record && (*record)->last_seq >= seq) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

inline int terminal_count(const std::vector<TaskEvent>& events) {
  int count = 0;
  for (const auto& event : events) count += is_terminal(event.type) ? 1 : 0;
  return count;
}

}  // namespace evapo::tasks::testing
