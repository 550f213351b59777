#pragma once

// A page of the task list (GET /api/v1/tasks): newest first, a bounded number of summaries at a
// time, the next page named by an opaque cursor so that a backend may use its own position
// (SQLite rowid, a Redis stream id, a PostgreSQL key).

#include <optional>
#include <string>
#include <vector>

#include <evapo/tasks/task_record.hpp>
#include <evapo/tasks/task_state.hpp>

namespace evapo::tasks {

/// The largest page a list returns (it bounds the response's size).
constexpr int kMaxTaskListLimit = 100;

struct TaskListQuery {
  std::optional<TaskState> state = std::nullopt;  // only tasks in this state when set
  int limit = 50;                                 // page size, 1..kMaxTaskListLimit
  std::string cursor = {};  // next_cursor of the previous page; empty: the newest tasks
};

struct TaskPage {
  /// Summaries: records whose result and error are never loaded (nullopt), newest first.
  std::vector<TaskRecord> tasks;
  /// Where the next (older) page starts; nullopt on the last page.
  std::optional<std::string> next_cursor;
};

}  // namespace evapo::tasks
