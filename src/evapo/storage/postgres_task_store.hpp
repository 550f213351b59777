#pragma once

// PostgreSQL persistence of tasks for a cluster: the system of record for task records and the
// durable event log (history and replay after the live Redis stream is trimmed or lost). The
// queue is elsewhere (Redis). Appending an event is one call of the evapo_append_event function:
// it locks the task's row, refuses the event once the task is finished, inserts it with
// last_seq + 1 and updates the row, in one transaction and one round trip.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/storage/postgres_database.hpp>
#include <evapo/storage/task_rows.hpp>

namespace evapo::storage {

class PostgresTaskStore {
 public:
  /// Migrates module "tasks" and returns the store. Errors: internal on schema failure,
  /// unavailable when the server cannot be reached.
  static domain::Expected<std::shared_ptr<PostgresTaskStore>> create(
      std::shared_ptr<PostgresDatabase> db);

  /// Inserts a new task (queued). Errors: invalid_argument for a duplicate id; unavailable
  /// (possibly inserted when the connection broke mid-way) / internal.
  domain::Expected<void> insert(const TaskRow& row);

  domain::Expected<std::optional<TaskRow>> find(const std::string& task_id);
  /// Newest first, at most `limit`, without result or error (never read for a list); only tasks
  /// in `state` when given; only tasks inserted before position `before` when given.
  domain::Expected<std::vector<TaskRow>> list(const std::optional<std::string>& state,
                                              std::optional<std::int64_t> before, int limit);

  /// Whether the database answers now (a round trip).
  domain::Expected<void> health();
  domain::Expected<std::vector<std::pair<std::string, std::int64_t>>> count_by_state();
  domain::Expected<void> mark_started(const std::string& task_id, const std::string& ts,
                                      int attempt);
  domain::Expected<std::vector<std::string>> unfinished(const std::string& created_before,
                                                        int limit);

  /// Refuses (nullopt) when the task is finished, else stores the event with seq = last_seq + 1
  /// and updates the row, atomically. Errors: not_found for an unknown task; unavailable (the
  /// event may have been stored when the connection broke after sending) / internal.
  domain::Expected<std::optional<TaskEventRow>> append(const TaskEventAppend& event);

  domain::Expected<std::vector<TaskEventRow>> events(const std::string& task_id,
                                                     std::int64_t since_seq, int limit);
  domain::Expected<std::int64_t> delete_finished_before(const std::string& cutoff, int limit);

 private:
  explicit PostgresTaskStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace evapo::storage
