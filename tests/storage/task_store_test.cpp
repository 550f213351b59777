#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/storage/sqlite_database.hpp>
#include <evapo/storage/task_store.hpp>

namespace evapo::storage {
namespace {

// The schema as the first release wrote it (migrations 1 and 2): results copied into the task's
// row, events in a WITHOUT ROWID table.
constexpr const char* kSchemaVersion2 =
    "CREATE TABLE schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL,"
    " applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (module, version));"
    "INSERT INTO schema_migrations (module, version) VALUES ('tasks', 1), ('tasks', 2);"
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
    " PRIMARY KEY (task_id, seq)) WITHOUT ROWID;"
    "CREATE INDEX tasks_by_finish ON tasks (finished_at) WHERE finished_at IS NOT NULL;"
    "INSERT INTO tasks VALUES ('done', 'success', '{}', 't0', 't2', 't1', 't2', 100, 'ready', 2,"
    " 1, '{\"results\":[]}', NULL, 0, NULL, NULL);"
    "INSERT INTO tasks VALUES ('failed', 'error', '{}', 't0', 't1', 't1', 't1', 0, '', 1,"
    " 1, NULL, '{\"error\":\"boom\"}', 0, NULL, NULL);"
    "INSERT INTO task_events VALUES ('done', 1, 'PROGRESS', 't1', '{\"step\":\"ready\"}');"
    "INSERT INTO task_events VALUES ('done', 2, 'SUCCESS', 't2', '{\"results\":[]}');"
    "INSERT INTO task_events VALUES ('failed', 1, 'ERROR', 't1', '{\"error\":\"boom\"}');";

TaskRow queued_task(const std::string& id) {
  TaskRow row;
  row.id = id;
  row.state = "queued";
  row.request_json = "{}";
  row.created_at = row.updated_at = "t0";
  return row;
}

TEST(SqliteTaskStore, UpgradesAVersionTwoStoreKeepingResultsErrorsAndEvents) {
  auto db = SqliteDatabase::open(":memory:");
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->execute_script(kSchemaVersion2));
  auto store = SqliteTaskStore::create(*db);
  ASSERT_TRUE(store) << store.error().message;

  auto done = (*store)->find("done");
  ASSERT_TRUE(done && *done);
  EXPECT_EQ((*done)->result_json, R"({"results":[]})");
  EXPECT_FALSE((*done)->error_json);
  auto failed = (*store)->find("failed");
  ASSERT_TRUE(failed && *failed);
  EXPECT_EQ((*failed)->error_json, R"({"error":"boom"})");
  EXPECT_FALSE((*failed)->result_json);

  auto events = (*store)->events("done", 0, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2U);
  EXPECT_EQ((*events)[1].type, "SUCCESS");
  // The key still refuses a second event with the same seq.
  const SqlValue duplicate[] = {std::string("done"), std::int64_t{2}};
  EXPECT_FALSE(
      (*db)->execute("INSERT INTO task_events VALUES (?1, ?2, 'PROGRESS', 't3', '{}')", duplicate));
  // Deleting a task still takes its events.
  ASSERT_TRUE((*db)->execute("DELETE FROM tasks WHERE id = 'done'"));
  events = (*store)->events("done", 0, 10);
  ASSERT_TRUE(events);
  EXPECT_TRUE(events->empty());
}

TEST(SqliteTaskStore, AFinishedTaskReadsItsResultFromTheTerminalEvent) {
  auto db = SqliteDatabase::open(":memory:");
  ASSERT_TRUE(db);
  auto store = SqliteTaskStore::create(*db);
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->insert(queued_task("a")));
  TaskEventAppend progress{
      "a", "PROGRESS", "t1", R"({"step":"x"})", EventEnding::keeps_open, "processing", 10, "x"};
  ASSERT_TRUE((*store)->append(progress));
  auto running = (*store)->find("a");
  ASSERT_TRUE(running && *running);
  EXPECT_FALSE((*running)->result_json) << "no result before the terminal event";
  TaskEventAppend success{
      "a",       "SUCCESS", "t2",        R"({"results":[1]})", EventEnding::finishes_task,
      "success", 100,       std::nullopt};
  ASSERT_TRUE((*store)->append(success));
  auto finished = (*store)->find("a");
  ASSERT_TRUE(finished && *finished);
  EXPECT_EQ((*finished)->result_json, R"({"results":[1]})");
  auto listed = (*store)->list(std::string("success"), std::nullopt, 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_FALSE((*listed)[0].result_json) << "a list never reads the result";
  EXPECT_GT((*listed)[0].position, 0);
}

TEST(SqliteTaskStore, LargeEventDataIsStoredDeflatedAndReadBackAsWritten) {
  auto db = SqliteDatabase::open(":memory:");
  ASSERT_TRUE(db);
  auto store = SqliteTaskStore::create(*db);
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->insert(queued_task("a")));
  std::string results = R"({"results":[)";
  for (int day = 0; day < 365; ++day) {
    if (day > 0) results += ',';
    results += R"({"date":"2015-01-)" + std::to_string(day) + R"(","eto_mm":)" +
               std::to_string(day % 7) + R"(.25,"quality":"high","café":"é"})";
  }
  results += "]}";
  TaskEventAppend small{"a",          "PROGRESS", "t1", R"({"step":"x"})", EventEnding::keeps_open,
                        "processing", 10,         "x"};
  TaskEventAppend success{"a",       "SUCCESS", "t2",        results, EventEnding::finishes_task,
                          "success", 100,       std::nullopt};
  ASSERT_TRUE((*store)->append(small));
  ASSERT_TRUE((*store)->append(success));

  std::vector<std::pair<std::int64_t, std::int64_t>> stored;  // deflated, stored bytes
  ASSERT_TRUE(
      (*db)->query("SELECT deflated, length(CAST(data AS BLOB)) FROM task_events ORDER BY seq", {},
                   [&](const SqliteRow& r) { stored.emplace_back(r.int64(0), r.int64(1)); }));
  ASSERT_EQ(stored.size(), 2U);
  EXPECT_EQ(stored[0].first, 0) << "small data stays text";
  EXPECT_EQ(stored[1].first, 1);
  EXPECT_LT(stored[1].second * 4, static_cast<std::int64_t>(results.size()));

  auto events = (*store)->events("a", 0, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2U);
  EXPECT_EQ((*events)[0].data_json, R"({"step":"x"})");
  EXPECT_EQ((*events)[1].data_json, results);
  auto finished = (*store)->find("a");
  ASSERT_TRUE(finished && *finished);
  EXPECT_EQ((*finished)->result_json, results);
}

}  // namespace
}  // namespace evapo::storage
