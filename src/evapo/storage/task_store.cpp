#include <algorithm>
#include <variant>

#include <evapo/storage/deflated_text.hpp>
#include <evapo/storage/task_store.hpp>

namespace evapo::storage {

using domain::Error;
using domain::Expected;
using domain::fail;

namespace {

// in_queue is 1 from insert until ack (or a finishing event); lease_* say who runs it until when.
constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE tasks ("
     " id TEXT PRIMARY KEY, state TEXT NOT NULL, request TEXT NOT NULL,"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,"
     " progress INTEGER NOT NULL DEFAULT 0, step TEXT NOT NULL DEFAULT '',"
     " last_seq INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
     " result TEXT, error TEXT, in_queue INTEGER NOT NULL DEFAULT 1,"
     " lease_owner TEXT, lease_until_ms INTEGER);"
     "CREATE INDEX tasks_by_state ON tasks (state);"
     "CREATE INDEX tasks_queued ON tasks (in_queue) WHERE in_queue = 1;"
     "CREATE TABLE task_events ("
     " task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
     " type TEXT NOT NULL, ts TEXT NOT NULL, data TEXT NOT NULL,"
     " PRIMARY KEY (task_id, seq)) WITHOUT ROWID;"},
    {2, "CREATE INDEX tasks_by_finish ON tasks (finished_at) WHERE finished_at IS NOT NULL;"},
    // A result is stored once, in the terminal event: copied into the task's row it made every
    // later update of that row rewrite it (hundreds of KB for a long period).
    {3, "ALTER TABLE tasks DROP COLUMN result; ALTER TABLE tasks DROP COLUMN error;"},
    // Events as a rowid table: a WITHOUT ROWID table keeps whole rows in its key b-tree, which
    // suits small rows; a SUCCESS of a year (about 120 KB) inserts a third faster here.
    {4,
     "CREATE TABLE task_events_by_rowid ("
     " task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
     " type TEXT NOT NULL, ts TEXT NOT NULL, data TEXT NOT NULL);"
     "INSERT INTO task_events_by_rowid SELECT task_id, seq, type, ts, data FROM task_events;"
     "DROP TABLE task_events;"
     "ALTER TABLE task_events_by_rowid RENAME TO task_events;"
     "CREATE UNIQUE INDEX task_events_by_seq ON task_events (task_id, seq);"},
    // Large event data (a SUCCESS) is stored as a zlib stream (deflated_text.hpp).
    {5, "ALTER TABLE task_events ADD COLUMN deflated INTEGER NOT NULL DEFAULT 0;"},
};

// Data at least this long is stored deflated; progress events stay plain text.
constexpr std::size_t kDeflateFromBytes = 4096;

// A finished task's result or error is its terminal event's data, which is the event at last_seq.
constexpr const char* kSelectTasks =
    "SELECT t.id, t.state, t.request, t.created_at, t.updated_at, t.started_at, t.finished_at,"
    " t.progress, t.step, t.last_seq, t.attempts, e.data, e.deflated FROM tasks t"
    " LEFT JOIN task_events e ON t.finished_at IS NOT NULL AND e.task_id = t.id AND e.seq = "
    "t.last_seq";

// A list shows summaries: the terminal event (a result of hundreds of KB) is not read.
constexpr const char* kSelectSummaries =
    "SELECT id, state, request, created_at, updated_at, started_at, finished_at, progress, step,"
    " last_seq, attempts, rowid FROM tasks";

std::optional<std::string> optional_text(const SqliteRow& row, int index) {
  if (row.is_null(index)) return std::nullopt;
  return row.text(index);
}

// An event's data as stored in columns `data_index` (text or zlib BLOB) and `data_index + 1`
// (deflated flag); "" (which reads back as unparsable) for a damaged stream.
std::string stored_data(const SqliteRow& row, int data_index) {
  if (row.int64(data_index + 1) == 0) return row.text(data_index);
  return inflate_text(row.blob(data_index)).value_or(std::string());
}

SqlValue nullable(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return *value;
}

// Columns 0-10 of kSelectTasks and kSelectSummaries.
TaskRow read_task_columns(const SqliteRow& row) {
  TaskRow task;
  task.id = row.text(0);
  task.state = row.text(1);
  task.request_json = row.text(2);
  task.created_at = row.text(3);
  task.updated_at = row.text(4);
  task.started_at = optional_text(row, 5);
  task.finished_at = optional_text(row, 6);
  task.progress = static_cast<int>(row.int64(7));
  task.step = row.text(8);
  task.last_seq = row.int64(9);
  task.attempts = static_cast<int>(row.int64(10));
  return task;
}

TaskRow read_task(const SqliteRow& row) {
  TaskRow task = read_task_columns(row);
  if (!row.is_null(11)) {
    (task.state == "success" ? task.result_json : task.error_json) = stored_data(row, 11);
  }
  return task;
}

}  // namespace

Expected<std::shared_ptr<SqliteTaskStore>> SqliteTaskStore::create(
    std::shared_ptr<SqliteDatabase> db) {
  // A damaged file would fail later, task by task, with 500s; refuse it at start-up instead.
  if (auto checked = db->quick_check(); !checked) {
    return fail(Error::internal("the task database " + db->path() + " is damaged (" +
                                checked.error().message +
                                "); restore it from a backup, or move it away to start with an "
                                "empty one"));
  }
  if (auto migrated = db->migrate("tasks", kMigrations); !migrated) return fail(migrated.error());
  return std::shared_ptr<SqliteTaskStore>(new SqliteTaskStore(std::move(db)));
}

Expected<void> SqliteTaskStore::insert(const TaskRow& row) {
  const SqlValue params[] = {row.id, row.state, row.request_json, row.created_at, row.updated_at};
  auto inserted = db_->execute(
      "INSERT INTO tasks (id, state, request, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
      params);
  if (!inserted) {
    // A duplicate primary key is the caller's mistake, not an outage.
    if (inserted.error().message.find("UNIQUE") != std::string::npos) {
      return fail(Error::invalid_argument("task id already exists: " + row.id));
    }
    return fail(inserted.error());
  }
  return {};
}

Expected<std::optional<TaskRow>> SqliteTaskStore::find(const std::string& task_id) {
  std::optional<TaskRow> found;
  const SqlValue params[] = {task_id};
  auto ok = db_->query(std::string(kSelectTasks) + " WHERE t.id = ?1", params,
                       [&](const SqliteRow& row) { found = read_task(row); });
  if (!ok) return fail(ok.error());
  return found;
}

Expected<std::vector<TaskRow>> SqliteTaskStore::list(const std::optional<std::string>& state,
                                                     std::optional<std::int64_t> before,
                                                     int limit) {
  std::vector<TaskRow> rows;
  std::vector<SqlValue> params;
  std::string sql = kSelectSummaries;
  std::string where;
  if (state) {
    params.emplace_back(*state);
    where += " state = ?" + std::to_string(params.size());
  }
  if (before) {
    params.emplace_back(*before);
    where +=
        std::string(where.empty() ? "" : " AND") + " rowid < ?" + std::to_string(params.size());
  }
  if (!where.empty()) sql += " WHERE" + where;
  params.emplace_back(std::int64_t{std::max(limit, 0)});
  sql += " ORDER BY rowid DESC LIMIT ?" + std::to_string(params.size());
  auto ok = db_->query(sql, params, [&](const SqliteRow& row) {
    TaskRow task = read_task_columns(row);
    task.position = row.int64(11);
    rows.push_back(std::move(task));
  });
  if (!ok) return fail(ok.error());
  return rows;
}

Expected<std::vector<std::pair<std::string, std::int64_t>>> SqliteTaskStore::count_by_state() {
  std::vector<std::pair<std::string, std::int64_t>> counts;
  auto ok =
      db_->query("SELECT state, COUNT(*) FROM tasks GROUP BY state", {},
                 [&](const SqliteRow& row) { counts.emplace_back(row.text(0), row.int64(1)); });
  if (!ok) return fail(ok.error());
  return counts;
}

Expected<void> SqliteTaskStore::mark_started(const std::string& task_id, const std::string& ts,
                                             int attempt) {
  const SqlValue params[] = {task_id, ts, std::int64_t{attempt}};
  auto ok = db_->execute(
      "UPDATE tasks SET state = 'processing', started_at = COALESCE(started_at, ?2),"
      " updated_at = ?2, attempts = MAX(attempts, ?3) WHERE id = ?1 AND finished_at IS NULL",
      params);
  if (!ok) return fail(ok.error());
  return {};
}

Expected<std::vector<std::string>> SqliteTaskStore::unfinished(const std::string& created_before,
                                                               int limit) {
  std::vector<std::string> ids;
  const SqlValue params[] = {created_before, std::int64_t{std::max(limit, 0)}};
  auto ok = db_->query(
      "SELECT id FROM tasks WHERE finished_at IS NULL AND created_at < ?1 ORDER BY rowid LIMIT ?2",
      params, [&](const SqliteRow& row) { ids.push_back(row.text(0)); });
  if (!ok) return fail(ok.error());
  return ids;
}

Expected<std::optional<TaskEventRow>> SqliteTaskStore::append(const TaskEventAppend& event) {
  // Compressed before the transaction: the write lock is held only to write the result.
  std::optional<std::string> deflated;
  if (event.data_json.size() >= kDeflateFromBytes) deflated = deflate_text(event.data_json);
  const SqlValue stored =
      deflated ? SqlValue{SqlBlob{std::move(*deflated)}} : SqlValue{event.data_json};
  std::optional<TaskEventRow> appended;
  auto ok = db_->transaction([&]() -> Expected<void> {
    bool exists = false;
    bool finished = false;
    std::int64_t last_seq = 0;
    const SqlValue key[] = {event.task_id};
    auto read = db_->query("SELECT last_seq, finished_at IS NOT NULL FROM tasks WHERE id = ?1", key,
                           [&](const SqliteRow& row) {
                             exists = true;
                             last_seq = row.int64(0);
                             finished = row.int64(1) != 0;
                           });
    if (!read) return read;
    if (!exists) return fail(Error::not_found("no task " + event.task_id));
    if (finished) return {};

    TaskEventRow row{event.task_id, last_seq + 1, event.type, event.ts, event.data_json};
    const SqlValue insert_params[] = {
        row.task_id, row.seq, row.type,
        row.ts,      stored,  std::int64_t{std::holds_alternative<SqlBlob>(stored) ? 1 : 0}};
    auto inserted = db_->execute(
        "INSERT INTO task_events (task_id, seq, type, ts, data, deflated)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        insert_params);
    if (!inserted) return fail(inserted.error());

    const bool finishes = event.ending == EventEnding::finishes_task;
    const SqlValue update_params[] = {
        event.task_id,
        row.seq,
        event.state,
        event.ts,
        event.progress ? SqlValue{std::int64_t{*event.progress}} : SqlValue{nullptr},
        nullable(event.step),
        finishes ? SqlValue{event.ts} : SqlValue{nullptr},
        std::int64_t{finishes ? 1 : 0}};
    auto updated = db_->execute(
        "UPDATE tasks SET last_seq = ?2, state = ?3, updated_at = ?4,"
        " progress = COALESCE(?5, progress), step = COALESCE(?6, step),"
        " finished_at = COALESCE(?7, finished_at),"
        " in_queue = CASE WHEN ?8 = 1 THEN 0 ELSE in_queue END,"
        " started_at = COALESCE(started_at, CASE WHEN ?8 = 0 THEN ?4 END)"
        " WHERE id = ?1",
        update_params);
    if (!updated) return fail(updated.error());
    appended = std::move(row);
    return {};
  });
  if (!ok) return fail(ok.error());
  return appended;
}

Expected<std::vector<TaskEventRow>> SqliteTaskStore::events(const std::string& task_id,
                                                            std::int64_t since_seq, int limit) {
  std::vector<TaskEventRow> rows;
  const SqlValue params[] = {task_id, since_seq, std::int64_t{std::max(limit, 0)}};
  auto ok = db_->query(
      "SELECT seq, type, ts, data, deflated FROM task_events WHERE task_id = ?1 AND seq > ?2"
      " ORDER BY seq LIMIT ?3",
      params, [&](const SqliteRow& row) {
        rows.push_back({task_id, row.int64(0), row.text(1), row.text(2), stored_data(row, 3)});
      });
  if (!ok) return fail(ok.error());
  return rows;
}

Expected<std::optional<TaskClaimRow>> SqliteTaskStore::claim(const std::string& owner,
                                                             std::int64_t now_ms,
                                                             std::int64_t lease_until_ms) {
  std::optional<TaskClaimRow> claimed;
  auto ok = db_->transaction([&]() -> Expected<void> {
    const SqlValue find_params[] = {now_ms};
    auto read = db_->query(
        "SELECT id, attempts FROM tasks WHERE in_queue = 1 AND"
        " (lease_until_ms IS NULL OR lease_until_ms < ?1) ORDER BY rowid LIMIT 1",
        find_params, [&](const SqliteRow& row) {
          claimed = TaskClaimRow{row.text(0), static_cast<int>(row.int64(1)) + 1};
        });
    if (!read) return read;
    if (!claimed) return {};
    const SqlValue params[] = {claimed->task_id, owner, lease_until_ms};
    auto updated = db_->execute(
        "UPDATE tasks SET lease_owner = ?2, lease_until_ms = ?3, attempts = attempts + 1"
        " WHERE id = ?1",
        params);
    if (!updated) return fail(updated.error());
    return {};
  });
  if (!ok) return fail(ok.error());
  return claimed;
}

Expected<bool> SqliteTaskStore::extend(const std::string& task_id, const std::string& owner,
                                       std::int64_t lease_until_ms) {
  const SqlValue params[] = {task_id, owner, lease_until_ms};
  auto changed = db_->execute(
      "UPDATE tasks SET lease_until_ms = ?3 WHERE id = ?1 AND lease_owner = ?2 AND in_queue = 1",
      params);
  if (!changed) return fail(changed.error());
  return *changed > 0;
}

Expected<void> SqliteTaskStore::ack(const std::string& task_id, const std::string& owner) {
  const SqlValue params[] = {task_id, owner};
  auto changed = db_->execute(
      "UPDATE tasks SET in_queue = 0, lease_owner = NULL, lease_until_ms = NULL"
      " WHERE id = ?1 AND (lease_owner = ?2 OR lease_owner IS NULL)",
      params);
  if (!changed) return fail(changed.error());
  return {};
}

Expected<void> SqliteTaskStore::release(const std::string& task_id, const std::string& owner) {
  const SqlValue params[] = {task_id, owner};
  auto changed = db_->execute(
      "UPDATE tasks SET lease_owner = NULL, lease_until_ms = NULL"
      " WHERE id = ?1 AND lease_owner = ?2",
      params);
  if (!changed) return fail(changed.error());
  return {};
}

Expected<std::int64_t> SqliteTaskStore::release_all() {
  return db_->execute(
      "UPDATE tasks SET lease_owner = NULL, lease_until_ms = NULL"
      " WHERE in_queue = 1 AND lease_owner IS NOT NULL");
}

Expected<std::int64_t> SqliteTaskStore::delete_finished_before(const std::string& cutoff,
                                                               int limit) {
  const SqlValue params[] = {cutoff, std::int64_t{std::max(limit, 0)}};
  // Events go with their task (ON DELETE CASCADE).
  return db_->execute(
      "DELETE FROM tasks WHERE id IN (SELECT id FROM tasks WHERE finished_at IS NOT NULL AND"
      " finished_at < ?1 ORDER BY finished_at LIMIT ?2)",
      params);
}

Expected<void> SqliteTaskStore::health() {
  // Room for a burst of results (a year's SUCCESS is ~40 KB deflated) and the WAL.
  constexpr std::uint64_t kMinFreeBytes = 64ULL * 1024 * 1024;
  return db_->health(kMinFreeBytes);
}

Expected<std::int64_t> SqliteTaskStore::queue_depth(std::int64_t now_ms) {
  std::int64_t depth = 0;
  const SqlValue params[] = {now_ms};
  auto ok = db_->query(
      "SELECT COUNT(*) FROM tasks WHERE in_queue = 1 AND"
      " (lease_until_ms IS NULL OR lease_until_ms < ?1)",
      params, [&](const SqliteRow& row) { depth = row.int64(0); });
  if (!ok) return fail(ok.error());
  return depth;
}

}  // namespace evapo::storage
