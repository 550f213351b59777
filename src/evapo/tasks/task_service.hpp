#pragma once

// The one object `evapo serve` and `evapo worker` talk to for tasks: submit, look up, list,
// cancel, watch, and run them. It runs on the backends it is given (task_backends.hpp: SQLite
// embedded, or Redis + PostgreSQL shared by a cluster) and owns this process's workers, the
// watchdog, the retention pruner and the heartbeat, each a loop with its own stop signal.
// Every method is thread-safe.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/tasks/event_bus.hpp>
#include <evapo/tasks/subscription.hpp>
#include <evapo/tasks/task_backends.hpp>
#include <evapo/tasks/task_event.hpp>
#include <evapo/tasks/task_list.hpp>
#include <evapo/tasks/task_record.hpp>
#include <evapo/tasks/task_service_options.hpp>
#include <evapo/tasks/task_state.hpp>
#include <evapo/tasks/worker_registry.hpp>

namespace evapo::tasks {

/// Tasks by state plus queue figures, for /metrics.
struct TaskCounts {
  std::map<TaskState, std::int64_t> by_state;  // every state present
  std::int64_t queue_depth = 0;                // waiting to be claimed
  std::int64_t running = 0;                    // being run by this process's workers
  std::int64_t subscribers = 0;                // live event subscriptions
};

class TaskService {
 public:
  /// Prepares the service on `backends` without starting anything.
  /// Errors: invalid_argument when workers are to run and no calculation is given.
  static domain::Expected<std::unique_ptr<TaskService>> open(TaskServiceOptions options,
                                                             TaskBackends backends);

  ~TaskService();  // stop(0) if still running
  TaskService(const TaskService&) = delete;
  TaskService& operator=(const TaskService&) = delete;

  /// Starts the backends' housekeeping, the workers, the watchdog, the pruner and the heartbeat
  /// (idempotent). Queued and re-runnable tasks start now.
  void start();

  /// Graceful stop: no new claims; running tasks get up to `grace` to finish; those still
  /// running are then told to stop (RunControl.cancelled) and left re-runnable (no terminal
  /// event, claim released) for the next start or another worker. Returns once every worker
  /// thread has exited.
  void stop(std::chrono::milliseconds grace);

  /// Stores and enqueues a new task (state queued) and returns its record; durable on return
  /// (the TaskLog's insert). Does not validate the request beyond its shape. Errors:
  /// unavailable / internal from the store.
  domain::Expected<TaskRecord> submit(const pipeline::CalculationRequest& request);

  /// The task, or nullopt for an unknown id (never a made-up "pending").
  domain::Expected<std::optional<TaskRecord>> get(const std::string& task_id);

  /// One page of task summaries (no result or error), most recent first; TaskLog::list.
  domain::Expected<TaskPage> list(const TaskListQuery& query);

  /// Cancels the task: a queued or running task ends at once with a CANCELLED event and its
  /// running calculation (on this node at once, on another within about a second) is told to
  /// stop. A task already finished is returned unchanged. Errors: not_found for an unknown id.
  domain::Expected<TaskRecord> cancel(const std::string& task_id);

  /// Stored events with seq > since_seq, ascending, at most `limit` (for SSE / polling).
  /// Errors: not_found for an unknown id.
  domain::Expected<std::vector<TaskEvent>> events(const std::string& task_id,
                                                  std::int64_t since_seq, int limit);

  /// Replays the task's events after `since_seq`, then delivers live ones (EventBus::subscribe
  /// semantics: in order, no gap, no duplicate; the handler must not block). The last event a
  /// subscriber gets is the terminal one. Errors: not_found for an unknown id.
  domain::Expected<Subscription> subscribe(const std::string& task_id, std::int64_t since_seq,
                                           EventHandler handler);

  /// Readiness: the queue and the task log can serve and take writes (their health()).
  domain::Expected<void> health();

  /// Tasks waiting to be claimed (TaskQueue::depth).
  domain::Expected<std::int64_t> queue_depth();

  /// Counts for metrics (one cheap aggregate query).
  domain::Expected<TaskCounts> counts();

  /// The worker processes alive now (their last heartbeat is recent), this one included when
  /// it runs workers.
  domain::Expected<std::vector<WorkerInfo>> workers();

  /// This process's worker id ("<host>-<pid>-<random>").
  const std::string& instance_id() const;

 private:
  struct Impl;
  explicit TaskService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evapo::tasks
