#pragma once

#include <chrono>

#include <evapo/tasks/event_bus.hpp>
#include <evapo/tasks/running_tasks.hpp>
#include <evapo/tasks/task_log.hpp>
#include <evapo/tasks/task_queue.hpp>
#include <evapo/tasks/task_service_options.hpp>

namespace evapo::tasks {

/// Where cancels of this process's running tasks can come from.
enum class CancelSource {
  this_process,  // embedded: TaskService::cancel reaches the run directly
  any_node,      // shared backends: another node may cancel, seen in the task's record
};

/// One pass over the running tasks, called every watchdog_period by a PeriodicLoop: publishes
/// TIMEOUT for a run past its deadline (even when the calculation ignores it), renews leases
/// (every lease/3), and with CancelSource::any_node tells a run whose task ended elsewhere
/// (cancelled on another node) to stop, checking each run about twice a second.
class TaskWatchdog {
 public:
  /// Every reference must outlive the watchdog.
  TaskWatchdog(TaskQueue& queue, TaskLog& log, EventBus& bus, RunningTasks& running,
               const TaskServiceOptions& options, CancelSource cancels);

  void tick();

 private:
  void time_out(RunState& run);
  void look_for_remote_cancels();

  TaskQueue& queue_;
  TaskLog& log_;
  EventBus& bus_;
  RunningTasks& running_;
  const TaskServiceOptions& options_;
  CancelSource cancels_;
  std::chrono::steady_clock::time_point next_cancel_check_{};
};

}  // namespace evapo::tasks
