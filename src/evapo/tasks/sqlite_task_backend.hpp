#pragma once

// The embedded backend of `evapo serve`: TaskQueue and TaskLog over one SQLite file (WAL,
// synchronous=NORMAL); the task's row is its queue entry. Claims wait on a condition variable
// woken by enqueue, so idle workers do not poll the file hard; expired leases are noticed at the
// next wait timeout. One process owns the file (open_task_backends releases every lease at
// start-up and checkpoints the WAL from a second connection, sqlite_wal_checkpointer.hpp).

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include <evapo/storage/task_store.hpp>
#include <evapo/tasks/task_log.hpp>
#include <evapo/tasks/task_queue.hpp>

namespace evapo::tasks {

class SqliteTaskBackend final : public TaskQueue, public TaskLog {
 public:
  /// Builds the backend on an open database (migrating the "tasks" schema).
  /// Errors: internal on a schema problem.
  static domain::Expected<std::shared_ptr<SqliteTaskBackend>> create(
      std::shared_ptr<storage::SqliteDatabase> database);

  /// Makes every task claimed by a previous process claimable again; returns how many. Only
  /// correct when this process is the file's only user (the embedded setup).
  domain::Expected<std::int64_t> release_abandoned_claims();

  // TaskQueue
  domain::Expected<void> enqueue(const std::string& task_id) override;
  domain::Expected<std::optional<Claim>> claim(const std::string& worker_id,
                                               std::chrono::milliseconds lease,
                                               std::chrono::milliseconds wait) override;
  domain::Expected<void> extend(const Claim& claim, std::chrono::milliseconds lease) override;
  domain::Expected<void> ack(const Claim& claim) override;
  domain::Expected<void> release(const Claim& claim) override;
  domain::Expected<std::int64_t> depth() override;
  void wake_all() override;
  domain::Expected<void> health() override;  // TaskQueue and TaskLog

  // TaskLog
  domain::Expected<void> insert(const TaskRecord& record) override;
  domain::Expected<std::optional<TaskRecord>> get(const std::string& task_id) override;
  domain::Expected<TaskPage> list(const TaskListQuery& query) override;
  domain::Expected<std::map<TaskState, std::int64_t>> count_by_state() override;
  domain::Expected<void> mark_started(const std::string& task_id, int attempt) override;
  domain::Expected<std::vector<std::string>> unfinished(const std::string& created_before,
                                                        int limit) override;
  domain::Expected<std::optional<TaskEvent>> append_text(const std::string& task_id, EventType type,
                                                         std::string data_text) override;
  domain::Expected<std::vector<TaskEvent>> read(const std::string& task_id, std::int64_t since_seq,
                                                int limit) override;
  domain::Expected<std::int64_t> prune(std::chrono::system_clock::time_point finished_before,
                                       int limit) override;

 private:
  explicit SqliteTaskBackend(std::shared_ptr<storage::SqliteTaskStore> store)
      : store_(std::move(store)) {}
  void wake(bool everyone);

  std::shared_ptr<storage::SqliteTaskStore> store_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  std::uint64_t wake_generation_ = 0;  // bumped by enqueue, release and wake_all
};

}  // namespace evapo::tasks
