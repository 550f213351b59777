#include <limits>

#include <evapo/storage/deflated_text.hpp>
#include <evapo/storage/postgres_task_store.hpp>

namespace evapo::storage {

using domain::Error;
using domain::Expected;
using domain::fail;

namespace {

constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE tasks ("
     " id TEXT PRIMARY KEY, n BIGSERIAL NOT NULL UNIQUE, state TEXT NOT NULL,"
     " request TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " started_at TEXT, finished_at TEXT, progress INTEGER NOT NULL DEFAULT 0,"
     " step TEXT NOT NULL DEFAULT '', last_seq BIGINT NOT NULL DEFAULT 0,"
     " attempts INTEGER NOT NULL DEFAULT 0);"
     "CREATE INDEX tasks_by_state ON tasks (state, n);"
     "CREATE INDEX tasks_unfinished ON tasks (n) WHERE finished_at IS NULL;"
     "CREATE INDEX tasks_by_finish ON tasks (finished_at) WHERE finished_at IS NOT NULL;"
     "CREATE TABLE task_events ("
     " task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE, seq BIGINT NOT NULL,"
     " type TEXT NOT NULL, ts TEXT NOT NULL, data BYTEA NOT NULL, deflated BOOLEAN NOT NULL,"
     " PRIMARY KEY (task_id, seq));"
     // -1: no such task; 0: finished, refused; else the new event's seq.
     "CREATE FUNCTION evapo_append_event(p_task TEXT, p_type TEXT, p_ts TEXT, p_data BYTEA,"
     " p_deflated BOOLEAN, p_state TEXT, p_progress INTEGER, p_step TEXT, p_finishes BOOLEAN)"
     " RETURNS BIGINT LANGUAGE plpgsql AS $$"
     " DECLARE v_seq BIGINT; v_finished TEXT;"
     " BEGIN"
     "  SELECT last_seq, finished_at INTO v_seq, v_finished FROM tasks WHERE id = p_task"
     "   FOR UPDATE;"
     "  IF NOT FOUND THEN RETURN -1; END IF;"
     "  IF v_finished IS NOT NULL THEN RETURN 0; END IF;"
     "  v_seq := v_seq + 1;"
     "  INSERT INTO task_events (task_id, seq, type, ts, data, deflated)"
     "   VALUES (p_task, v_seq, p_type, p_ts, p_data, p_deflated);"
     "  UPDATE tasks SET last_seq = v_seq, state = p_state, updated_at = p_ts,"
     "   progress = COALESCE(p_progress, progress), step = COALESCE(p_step, step),"
     "   finished_at = CASE WHEN p_finishes THEN p_ts ELSE finished_at END,"
     "   started_at = COALESCE(started_at, CASE WHEN NOT p_finishes THEN p_ts END)"
     "   WHERE id = p_task;"
     "  RETURN v_seq;"
     " END $$;"},
};

// Data at least this long is stored deflated, as in SQLite.
constexpr std::size_t kDeflateFromBytes = 4096;

// A finished task's result or error is its terminal event's data (the event at last_seq).
#define EVAPO_SELECT_TASKS                                                                    \
  "SELECT t.id, t.state, t.request, t.created_at, t.updated_at, t.started_at, t.finished_at," \
  " t.progress, t.step, t.last_seq, t.attempts, e.data, e.deflated FROM tasks t"              \
  " LEFT JOIN task_events e ON t.finished_at IS NOT NULL AND e.task_id = t.id AND e.seq ="    \
  " t.last_seq"

constexpr PgStatement kInsert{
    "tasks_insert",
    "INSERT INTO tasks (id, state, request, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)"};
constexpr PgStatement kFind{"tasks_find", EVAPO_SELECT_TASKS " WHERE t.id = $1"};
// A list shows summaries: the terminal event (a result of hundreds of KB) is not read.
constexpr PgStatement kList{
    "tasks_list",
    "SELECT id, state, request, created_at, updated_at, started_at, finished_at, progress, step,"
    " last_seq, attempts, n FROM tasks WHERE ($1::text IS NULL OR state = $1) AND n < $2"
    " ORDER BY n DESC LIMIT $3"};
constexpr PgStatement kCount{"tasks_count", "SELECT state, COUNT(*) FROM tasks GROUP BY state"};
constexpr PgStatement kMarkStarted{
    "tasks_mark_started",
    "UPDATE tasks SET state = 'processing', started_at = COALESCE(started_at, $2),"
    " updated_at = $2, attempts = GREATEST(attempts, $3::int)"
    " WHERE id = $1 AND finished_at IS NULL"};
constexpr PgStatement kUnfinished{"tasks_unfinished",
                                  "SELECT id FROM tasks WHERE finished_at IS NULL AND"
                                  " created_at < $1 ORDER BY n LIMIT $2"};
constexpr PgStatement kAppend{"tasks_append",
                              "SELECT evapo_append_event($1, $2, $3, $4, $5, $6, $7::int, $8, $9)"};
constexpr PgStatement kEvents{"tasks_events",
                              "SELECT seq, type, ts, data, deflated FROM task_events"
                              " WHERE task_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"};
constexpr PgStatement kDelete{
    "tasks_delete_finished",
    "DELETE FROM tasks WHERE id IN (SELECT id FROM tasks WHERE finished_at IS NOT NULL AND"
    " finished_at < $1 ORDER BY finished_at LIMIT $2)"};

#undef EVAPO_SELECT_TASKS

std::optional<std::string> optional_text(const PgResult& result, int row, int column) {
  if (result.is_null(row, column)) return std::nullopt;
  return result.text(row, column);
}

// An event's data from columns `column` (bytea) and `column + 1` (deflated); "" (which reads
// back as unparsable) for a damaged stream.
std::string stored_data(const PgResult& result, int row, int column) {
  std::string bytes = result.bytes(row, column);
  if (!result.boolean(row, column + 1)) return bytes;
  return inflate_text(bytes).value_or(std::string());
}

TaskRow read_task(const PgResult& result, int row, bool with_data = true) {
  TaskRow task;
  task.id = result.text(row, 0);
  task.state = result.text(row, 1);
  task.request_json = result.text(row, 2);
  task.created_at = result.text(row, 3);
  task.updated_at = result.text(row, 4);
  task.started_at = optional_text(result, row, 5);
  task.finished_at = optional_text(result, row, 6);
  task.progress = static_cast<int>(result.int64(row, 7));
  task.step = result.text(row, 8);
  task.last_seq = result.int64(row, 9);
  task.attempts = static_cast<int>(result.int64(row, 10));
  if (with_data && !result.is_null(row, 11)) {
    (task.state == "success" ? task.result_json : task.error_json) = stored_data(result, row, 11);
  }
  return task;
}

SqlValue nullable(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return *value;
}

}  // namespace

Expected<std::shared_ptr<PostgresTaskStore>> PostgresTaskStore::create(
    std::shared_ptr<PostgresDatabase> db) {
  if (auto migrated = db->migrate("tasks", kMigrations); !migrated) return fail(migrated.error());
  return std::shared_ptr<PostgresTaskStore>(new PostgresTaskStore(std::move(db)));
}

Expected<void> PostgresTaskStore::insert(const TaskRow& row) {
  const SqlValue params[] = {row.id, row.state, row.request_json, row.created_at, row.updated_at};
  auto inserted = db_->execute(kInsert, params, Idempotency::not_idempotent);
  if (!inserted) {
    if (inserted.error().code == domain::ErrorCode::invalid_argument) {
      return fail(Error::invalid_argument("task id already exists: " + row.id));
    }
    return fail(inserted.error());
  }
  return {};
}

Expected<std::optional<TaskRow>> PostgresTaskStore::find(const std::string& task_id) {
  const SqlValue params[] = {task_id};
  auto result = db_->execute(kFind, params, Idempotency::idempotent, ResultFormat::binary);
  if (!result) return fail(result.error());
  if (result->rows() == 0) return std::optional<TaskRow>{};
  return std::optional<TaskRow>(read_task(*result, 0));
}

Expected<std::vector<TaskRow>> PostgresTaskStore::list(const std::optional<std::string>& state,
                                                       std::optional<std::int64_t> before,
                                                       int limit) {
  const SqlValue params[] = {nullable(state),
                             before.value_or(std::numeric_limits<std::int64_t>::max()),
                             std::int64_t{std::max(limit, 0)}};
  auto result = db_->execute(kList, params, Idempotency::idempotent, ResultFormat::binary);
  if (!result) return fail(result.error());
  std::vector<TaskRow> rows;
  rows.reserve(static_cast<std::size_t>(result->rows()));
  for (int row = 0; row < result->rows(); ++row) {
    TaskRow task = read_task(*result, row, /*with_data=*/false);
    task.position = result->int64(row, 11);
    rows.push_back(std::move(task));
  }
  return rows;
}

Expected<void> PostgresTaskStore::health() {
  return db_->ping();
}

Expected<std::vector<std::pair<std::string, std::int64_t>>> PostgresTaskStore::count_by_state() {
  auto result = db_->execute(kCount, {});
  if (!result) return fail(result.error());
  std::vector<std::pair<std::string, std::int64_t>> counts;
  for (int row = 0; row < result->rows(); ++row) {
    counts.emplace_back(result->text(row, 0), result->int64(row, 1));
  }
  return counts;
}

Expected<void> PostgresTaskStore::mark_started(const std::string& task_id, const std::string& ts,
                                               int attempt) {
  const SqlValue params[] = {task_id, ts, std::int64_t{attempt}};
  auto result = db_->execute(kMarkStarted, params);
  if (!result) return fail(result.error());
  return {};
}

Expected<std::vector<std::string>> PostgresTaskStore::unfinished(const std::string& created_before,
                                                                 int limit) {
  const SqlValue params[] = {created_before, std::int64_t{std::max(limit, 0)}};
  auto result = db_->execute(kUnfinished, params);
  if (!result) return fail(result.error());
  std::vector<std::string> ids;
  for (int row = 0; row < result->rows(); ++row) ids.push_back(result->text(row, 0));
  return ids;
}

Expected<std::optional<TaskEventRow>> PostgresTaskStore::append(const TaskEventAppend& event) {
  std::optional<std::string> deflated;
  if (event.data_json.size() >= kDeflateFromBytes) deflated = deflate_text(event.data_json);
  const bool finishes = event.ending == EventEnding::finishes_task;
  const SqlValue params[] = {
      event.task_id,
      event.type,
      event.ts,
      SqlBlob{deflated ? std::move(*deflated) : event.data_json},
      std::string(deflated ? "true" : "false"),
      event.state,
      event.progress ? SqlValue{std::int64_t{*event.progress}} : SqlValue{nullptr},
      nullable(event.step),
      std::string(finishes ? "true" : "false")};
  auto result = db_->execute(kAppend, params, Idempotency::not_idempotent);
  if (!result) return fail(result.error());
  const std::int64_t seq = result->int64(0, 0);
  if (seq < 0) return fail(Error::not_found("no task " + event.task_id));
  if (seq == 0) return std::optional<TaskEventRow>{};
  return std::optional<TaskEventRow>(
      TaskEventRow{event.task_id, seq, event.type, event.ts, event.data_json});
}

Expected<std::vector<TaskEventRow>> PostgresTaskStore::events(const std::string& task_id,
                                                              std::int64_t since_seq, int limit) {
  const SqlValue params[] = {task_id, since_seq, std::int64_t{std::max(limit, 0)}};
  auto result = db_->execute(kEvents, params, Idempotency::idempotent, ResultFormat::binary);
  if (!result) return fail(result.error());
  std::vector<TaskEventRow> rows;
  rows.reserve(static_cast<std::size_t>(result->rows()));
  for (int row = 0; row < result->rows(); ++row) {
    rows.push_back({task_id, result->int64(row, 0), result->text(row, 1), result->text(row, 2),
                    stored_data(*result, row, 3)});
  }
  return rows;
}

Expected<std::int64_t> PostgresTaskStore::delete_finished_before(const std::string& cutoff,
                                                                 int limit) {
  const SqlValue params[] = {cutoff, std::int64_t{std::max(limit, 0)}};
  auto result = db_->execute(kDelete, params);
  if (!result) return fail(result.error());
  return result->affected();
}

}  // namespace evapo::storage
