#pragma once

// TaskLog on PostgreSQL (storage/postgres_task_store.hpp): the system of record of a cluster.

#include <memory>

#include <evapo/storage/postgres_task_store.hpp>
#include <evapo/tasks/task_log.hpp>

namespace evapo::tasks {

class PostgresTaskLog final : public TaskLog {
 public:
  /// Migrates the schema. Errors: unavailable / internal.
  static domain::Expected<std::shared_ptr<PostgresTaskLog>> create(
      std::shared_ptr<storage::PostgresDatabase> database);

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
  domain::Expected<void> health() override;

 private:
  explicit PostgresTaskLog(std::shared_ptr<storage::PostgresTaskStore> store)
      : store_(std::move(store)) {}
  std::shared_ptr<storage::PostgresTaskStore> store_;
};

}  // namespace evapo::tasks
