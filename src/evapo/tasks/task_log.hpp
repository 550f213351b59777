#pragma once

// The durable side of tasks, their system of record: the task records and their per-task event
// logs (backends: SQLite, sqlite_task_backend.hpp; PostgreSQL, postgres_task_log.hpp). Appending
// an event and updating the task's record are one atomic step (one transaction holding the
// task's row), and the log refuses any event after a terminal one; that is what makes "exactly
// one terminal event" hold even when a timeout, a cancel and the worker (or two workers after a
// lease expiry) race.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/tasks/task_event.hpp>
#include <evapo/tasks/task_list.hpp>
#include <evapo/tasks/task_record.hpp>

namespace evapo::tasks {

class TaskLog {
 public:
  virtual ~TaskLog() = default;

  /// Stores a new task (state queued), durably: once this returns, a crash does not lose it.
  /// Errors: invalid_argument for an id already used; unavailable / internal from the backend.
  virtual domain::Expected<void> insert(const TaskRecord& record) = 0;

  /// The task, or nullopt when no task has that id.
  virtual domain::Expected<std::optional<TaskRecord>> get(const std::string& task_id) = 0;

  /// One page of task summaries, most recent first (by creation), only `query.state` ones when
  /// given. Summaries never carry result or error, so a page stays small whatever the tasks
  /// computed. Errors: invalid_argument for a cursor this backend did not make.
  virtual domain::Expected<TaskPage> list(const TaskListQuery& query) = 0;

  /// Number of tasks in each state (every state present, zero when none).
  virtual domain::Expected<std::map<TaskState, std::int64_t>> count_by_state() = 0;

  /// Records that a worker started (or restarted) the task on its `attempt`-th claim: state
  /// processing, started_at set the first time, attempts at least `attempt`. Does nothing to a
  /// terminal task.
  virtual domain::Expected<void> mark_started(const std::string& task_id, int attempt) = 0;

  /// Ids of tasks not finished (queued or processing) created before `created_before` (ISO-8601
  /// UTC with milliseconds), oldest first, at most `limit`: what a queue must still hold.
  virtual domain::Expected<std::vector<std::string>> unfinished(const std::string& created_before,
                                                                int limit) = 0;

  /// Appends one event with the next seq (last_seq + 1) and the time now, and updates the record
  /// in the same atomic step (progress/step from PROGRESS data; state, finished_at and
  /// result/error for a terminal event). nullopt when the task is already terminal (the event is
  /// dropped). Errors: not_found for an unknown task; unavailable / internal from the backend.
  /// `data_text` is the event's data serialised (event_data_text).
  virtual domain::Expected<std::optional<TaskEvent>> append_text(const std::string& task_id,
                                                                 EventType type,
                                                                 std::string data_text) = 0;

  /// append_text of `data` serialised.
  domain::Expected<std::optional<TaskEvent>> append(const std::string& task_id, EventType type,
                                                    const nlohmann::json& data) {
    return append_text(task_id, type, event_data_text(data));
  }

  /// Deletes up to `limit` tasks (and their events) that finished before `finished_before`;
  /// returns how many. Unfinished tasks are never deleted.
  virtual domain::Expected<std::int64_t> prune(
      std::chrono::system_clock::time_point finished_before, int limit) = 0;

  /// Whether the backend can serve now (readiness): reachable, answering, able to take writes
  /// (a full disk is resource_exhausted). Cheap enough to be asked every few seconds.
  virtual domain::Expected<void> health() = 0;

  /// Events of the task with seq > since_seq, ascending, at most `limit`.
  virtual domain::Expected<std::vector<TaskEvent>> read(const std::string& task_id,
                                                        std::int64_t since_seq, int limit) = 0;
};

}  // namespace evapo::tasks
