#pragma once

// Turns the task events of calculations into operations events: calculation_progress when a
// task's step changes, calculation_complete (with its summary) or calculation_error at its end,
// an activity item for each end, and the counts behind calculation_volume. It observes the task
// EventBus (TaskServiceOptions::event_observer) where the tasks run. The channel is readable by
// anyone, and a task id opens the task's results (GET /api/v1/tasks/{id}), so events name a task
// by its task_ref and its point to 0.1 degree only; the admin's task table has the full ids.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <evapo/ops/calculation_volume.hpp>
#include <evapo/ops/event_channel.hpp>
#include <evapo/tasks/task_event.hpp>
#include <evapo/tasks/task_record.hpp>

namespace evapo::ops {

class CalculationPublisher {
 public:
  /// The task's record (the point and dates of a task that ends without a result), or nullopt.
  using TaskLookup = std::function<std::optional<tasks::TaskRecord>(const std::string& task_id)>;

  CalculationPublisher(EventChannel& channel, CalculationVolume& volume)
      : channel_(channel), volume_(volume) {}

  /// Set once the task service exists (it is built with observe() as its observer).
  void set_task_lookup(TaskLookup lookup);

  /// Called for every task event stored, on the publishing thread. Thread-safe.
  void observe(const tasks::TaskEvent& event);

 private:
  struct Running {
    std::string step;
    std::map<std::string, std::string> source_states;  // source -> last state reported
    std::chrono::steady_clock::time_point started;     // its first event seen here
    int runs = 0;                                      // "validating" steps seen (attempts)
  };
  void on_progress(const tasks::TaskEvent& event);
  void on_end(const tasks::TaskEvent& event);

  EventChannel& channel_;
  CalculationVolume& volume_;
  std::mutex mutex_;
  std::unordered_map<std::string, Running> running_;
  TaskLookup lookup_;
};

/// The first 12 hex digits of a task id: enough to tell tasks apart on a dashboard, far too few
/// to guess the id from.
std::string task_ref(std::string_view task_id);

/// The "summary" object of a SUCCESS event's data text (tasks::success_summary), found without
/// parsing the year of results before it; nullopt when absent.
std::optional<nlohmann::json> success_summary_of(const std::string& wire);

}  // namespace evapo::ops
