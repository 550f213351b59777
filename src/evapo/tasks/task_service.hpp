#pragma once

// The one object `evapo serve` talks to for tasks: submit, look up, list, cancel, watch. It owns
// the queue, the event bus and the in-process workers (embedded defaults: SQLite under the data
// dir + one worker thread per core). Every method is thread-safe.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/tasks/calculation_fn.hpp>
#include <evapo/tasks/event_bus.hpp>
#include <evapo/tasks/subscription.hpp>
#include <evapo/tasks/task_event.hpp>
#include <evapo/tasks/task_list.hpp>
#include <evapo/tasks/task_record.hpp>
#include <evapo/tasks/task_state.hpp>

namespace evapo::storage {
class SqliteDatabase;
}

namespace evapo::tasks {

class TaskQueue;
class TaskLog;

struct TaskServiceOptions {
  /// SQLite file holding tasks and event logs, e.g. "<data_dir>/evapo.sqlite3". Ignored when a
  /// database is passed to open().
  std::string database_path;
  /// Worker threads; 0: one per core (std::thread::hardware_concurrency, at least 1).
  int workers = 0;
  /// A run still going after this long ends with a TIMEOUT event (counted per run attempt).
  std::chrono::milliseconds task_timeout{std::chrono::minutes(30)};
  /// A claimed task whose worker stops renewing it for this long is run again.
  std::chrono::milliseconds lease{std::chrono::seconds(30)};
  /// How often the watchdog checks deadlines and renews leases.
  std::chrono::milliseconds watchdog_period{std::chrono::milliseconds(50)};
  /// How often the WAL is checkpointed from a second connection. The task connection never
  /// checkpoints itself, so no submit or publish ever waits for the checkpoint's fsync.
  std::chrono::milliseconds checkpoint_period{std::chrono::seconds(1)};
  /// Finished tasks (and their event logs) older than this are deleted; zero keeps them all.
  std::chrono::milliseconds retention{std::chrono::hours(24 * 7)};
  /// How often old finished tasks are looked for (a bounded batch each time).
  std::chrono::milliseconds prune_period{std::chrono::minutes(1)};
  /// A task claimed more often than this (it keeps killing its worker) ends with ERROR.
  int max_attempts = 3;
  /// What a worker runs; required.
  CalculationFn calculation;
  /// Told about every event stored, on the publishing thread (ObservedEventBus); optional.
  EventHandler event_observer;
};

/// Tasks by state plus queue figures, for /metrics.
struct TaskCounts {
  std::map<TaskState, std::int64_t> by_state;  // every state present
  std::int64_t queue_depth = 0;                // waiting to be claimed
  std::int64_t running = 0;                    // being run by this process's workers
  std::int64_t subscribers = 0;                // live event subscriptions
};

class TaskService {
 public:
  /// Opens the task store (migrating it) and prepares the workers without starting them. Tasks
  /// left claimed by a previous process (killed or stopped mid-task) are made claimable again:
  /// the embedded backend assumes one process owns the database file.
  /// Errors: invalid_argument when no calculation is given; unavailable when the database cannot
  /// be opened; internal on a schema problem.
  static domain::Expected<std::unique_ptr<TaskService>> open(
      TaskServiceOptions options, std::shared_ptr<storage::SqliteDatabase> database = nullptr);

  ~TaskService();  // stop(0) if still running
  TaskService(const TaskService&) = delete;
  TaskService& operator=(const TaskService&) = delete;

  /// Starts the workers and the watchdog (idempotent). Queued and re-runnable tasks start now.
  void start();

  /// Graceful stop: no new claims; running tasks get up to `grace` to finish; those still
  /// running are then told to stop (RunControl.cancelled) and left re-runnable (no terminal
  /// event, claim released) for the next start. Returns once every worker thread has exited.
  void stop(std::chrono::milliseconds grace);

  /// Stores and enqueues a new task (state queued) and returns its record; durable on return
  /// (SQLite WAL, synchronous=NORMAL: one small insert, no fsync per task). Does not validate
  /// the request beyond its shape. Errors: unavailable / internal from the store.
  domain::Expected<TaskRecord> submit(const pipeline::CalculationRequest& request);

  /// The task, or nullopt for an unknown id (never a made-up "pending").
  domain::Expected<std::optional<TaskRecord>> get(const std::string& task_id);

  /// One page of task summaries (no result or error), most recent first; TaskLog::list.
  domain::Expected<TaskPage> list(const TaskListQuery& query);

  /// Cancels the task: a queued or running task ends at once with a CANCELLED event and a
  /// running calculation is told to stop. A task already finished is returned unchanged.
  /// Errors: not_found for an unknown id.
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

 private:
  struct Impl;
  explicit TaskService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evapo::tasks
