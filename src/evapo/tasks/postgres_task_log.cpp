#include <algorithm>

#include <evapo/domain/date.hpp>
#include <evapo/tasks/postgres_task_log.hpp>
#include <evapo/tasks/task_rows.hpp>

namespace evapo::tasks {

using domain::Expected;
using domain::fail;

namespace {
std::string now_iso() {
  return domain::format_iso_utc_millis(std::chrono::system_clock::now());
}
}  // namespace

Expected<std::shared_ptr<PostgresTaskLog>> PostgresTaskLog::create(
    std::shared_ptr<storage::PostgresDatabase> database) {
  auto store = storage::PostgresTaskStore::create(std::move(database));
  if (!store) return fail(store.error());
  return std::shared_ptr<PostgresTaskLog>(new PostgresTaskLog(std::move(*store)));
}

Expected<void> PostgresTaskLog::insert(const TaskRecord& record) {
  return store_->insert(to_row(record));
}

Expected<std::optional<TaskRecord>> PostgresTaskLog::get(const std::string& task_id) {
  auto row = store_->find(task_id);
  if (!row) return fail(row.error());
  if (!*row) return std::optional<TaskRecord>{};
  return std::optional<TaskRecord>(to_record(**row));
}

Expected<TaskPage> PostgresTaskLog::list(const TaskListQuery& query) {
  // The cursor is the insertion number of the last task shown: the next page starts below it.
  auto before = list_cursor_position(query.cursor);
  if (!before) return fail(before.error());
  std::optional<std::string> state_name;
  if (query.state) state_name = std::string(to_string(*query.state));
  const int limit = std::clamp(query.limit, 1, kMaxTaskListLimit);
  auto rows = store_->list(state_name, *before, limit + 1);
  if (!rows) return fail(rows.error());
  return to_page(*rows, limit);
}

Expected<void> PostgresTaskLog::health() {
  return store_->health();
}

Expected<std::map<TaskState, std::int64_t>> PostgresTaskLog::count_by_state() {
  auto rows = store_->count_by_state();
  if (!rows) return fail(rows.error());
  return to_counts(*rows);
}

Expected<void> PostgresTaskLog::mark_started(const std::string& task_id, int attempt) {
  return store_->mark_started(task_id, now_iso(), attempt);
}

Expected<std::vector<std::string>> PostgresTaskLog::unfinished(const std::string& created_before,
                                                               int limit) {
  return store_->unfinished(created_before, limit);
}

Expected<std::optional<TaskEvent>> PostgresTaskLog::append_text(const std::string& task_id,
                                                                EventType type,
                                                                std::string data_text) {
  const auto event = to_append(task_id, type, std::move(data_text), now_iso());
  auto appended = store_->append(event);
  if (!appended) return fail(appended.error());
  if (!*appended) return std::optional<TaskEvent>{};
  return std::optional<TaskEvent>(
      make_event(task_id, (*appended)->seq, type, (*appended)->ts, event.data_json));
}

Expected<std::vector<TaskEvent>> PostgresTaskLog::read(const std::string& task_id,
                                                       std::int64_t since_seq, int limit) {
  auto rows = store_->events(task_id, since_seq, limit);
  if (!rows) return fail(rows.error());
  std::vector<TaskEvent> events;
  events.reserve(rows->size());
  for (const auto& row : *rows) events.push_back(to_event(row));
  return events;
}

Expected<std::int64_t> PostgresTaskLog::prune(std::chrono::system_clock::time_point finished_before,
                                              int limit) {
  return store_->delete_finished_before(domain::format_iso_utc_millis(finished_before), limit);
}

}  // namespace evapo::tasks
