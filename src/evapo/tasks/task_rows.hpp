#pragma once

// Between the task layer's types and the rows the task stores keep (storage/task_rows.hpp):
// shared by the SQLite and PostgreSQL backends so that both report tasks identically.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <evapo/storage/task_rows.hpp>
#include <evapo/tasks/task_event.hpp>
#include <evapo/tasks/task_record.hpp>

namespace evapo::tasks {

/// The row of a new task (state queued).
storage::TaskRow to_row(const TaskRecord& record);

/// The record of a stored row; stored JSON that no longer parses becomes {"unparsable": text}.
TaskRecord to_record(const storage::TaskRow& row);

/// The event of a stored row (its wire text built once).
TaskEvent to_event(const storage::TaskEventRow& row);

/// What appending an event of `type` with `data_text` at `ts` changes on its task's row.
storage::TaskEventAppend to_append(const std::string& task_id, EventType type,
                                   std::string data_text, std::string ts);

/// Every state with its count (zero when absent from `rows`, unknown names ignored).
std::map<TaskState, std::int64_t> to_counts(
    const std::vector<std::pair<std::string, std::int64_t>>& rows);

}  // namespace evapo::tasks
