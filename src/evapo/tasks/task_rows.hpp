#pragma once

// Between the task layer's types and the rows the task stores keep (storage/task_rows.hpp):
// shared by the SQLite and PostgreSQL backends so that both report tasks identically.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/storage/task_rows.hpp>
#include <evapo/tasks/task_event.hpp>
#include <evapo/tasks/task_list.hpp>
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

/// The store position a list cursor names (nullopt for the first page). Errors: invalid_argument
/// for text no list of this kind made.
domain::Expected<std::optional<std::int64_t>> list_cursor_position(const std::string& cursor);

/// A page of at most `limit` summaries from `rows`, fetched with one row more than `limit` (its
/// presence says another page follows) in descending position order.
TaskPage to_page(const std::vector<storage::TaskRow>& rows, int limit);

/// Every state with its count (zero when absent from `rows`, unknown names ignored).
std::map<TaskState, std::int64_t> to_counts(
    const std::vector<std::pair<std::string, std::int64_t>>& rows);

}  // namespace evapo::tasks
