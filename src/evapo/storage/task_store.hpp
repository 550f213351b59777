#pragma once

// SQLite persistence of `evapo serve` tasks: one row per task (its state, its queue lease) and
// one append-only event log per task (the row types are shared with PostgreSQL, task_rows.hpp). The
// task layer (evapo::tasks) builds its TaskQueue and TaskLog on this; JSON payloads are stored as
// text and not parsed here.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/storage/sqlite_database.hpp>
#include <evapo/storage/task_rows.hpp>

namespace evapo::storage {

class SqliteTaskStore {
 public:
  /// Checks the file (PRAGMA quick_check), migrates module "tasks" in `db` and returns the
  /// store. Errors: internal for a damaged file (the message says so and what to do) or a schema
  /// failure.
  static domain::Expected<std::shared_ptr<SqliteTaskStore>> create(
      std::shared_ptr<SqliteDatabase> db);

  /// Inserts a new task (queued, in the queue): one small insert. Errors: invalid_argument for a
  /// duplicate id; internal / unavailable from SQLite.
  domain::Expected<void> insert(const TaskRow& row);

  /// The task, or nullopt when unknown.
  domain::Expected<std::optional<TaskRow>> find(const std::string& task_id);

  /// Newest first, at most `limit`, without result or error (never read for a list); only tasks
  /// in `state` when given; only tasks inserted before position `before` when given.
  domain::Expected<std::vector<TaskRow>> list(const std::optional<std::string>& state,
                                              std::optional<std::int64_t> before, int limit);

  /// (state, count) for each state that has tasks.
  domain::Expected<std::vector<std::pair<std::string, std::int64_t>>> count_by_state();

  /// Sets state "processing", started_at (first time only) and attempts (at least `attempt`) of
  /// an unfinished task.
  domain::Expected<void> mark_started(const std::string& task_id, const std::string& ts,
                                      int attempt);

  /// Ids of unfinished tasks created before `created_before`, oldest first, at most `limit`.
  domain::Expected<std::vector<std::string>> unfinished(const std::string& created_before,
                                                        int limit);

  /// In one transaction: refuses (nullopt) when the task is finished, else inserts the event
  /// with seq = last_seq + 1 and updates the row; a finishing event also takes the task out of
  /// the queue. Errors: not_found for an unknown task; internal / unavailable from SQLite.
  domain::Expected<std::optional<TaskEventRow>> append(const TaskEventAppend& event);

  /// Events with seq > since_seq, ascending, at most `limit`.
  domain::Expected<std::vector<TaskEventRow>> events(const std::string& task_id,
                                                     std::int64_t since_seq, int limit);

  /// Leases the oldest claimable queue entry (no lease, or lease_until_ms < now_ms) to `owner`
  /// until `lease_until_ms` and counts the attempt. nullopt when there is none.
  domain::Expected<std::optional<TaskClaimRow>> claim(const std::string& owner, std::int64_t now_ms,
                                                      std::int64_t lease_until_ms);

  /// Extends the lease if `owner` still holds it; false when the claim was lost.
  domain::Expected<bool> extend(const std::string& task_id, const std::string& owner,
                                std::int64_t lease_until_ms);

  /// Takes the task out of the queue (only if `owner` holds it or nobody does).
  domain::Expected<void> ack(const std::string& task_id, const std::string& owner);

  /// Drops `owner`'s lease so the entry is claimable at once.
  domain::Expected<void> release(const std::string& task_id, const std::string& owner);

  /// Drops every lease (start-up of a single-process owner of the file); returns how many.
  domain::Expected<std::int64_t> release_all();

  /// Deletes up to `limit` finished tasks (with their events) whose finished_at is before
  /// `cutoff` (same ISO-8601 format); returns how many.
  domain::Expected<std::int64_t> delete_finished_before(const std::string& cutoff, int limit);

  /// Whether the store can take tasks now (SqliteDatabase::health with 64 MB of free disk).
  domain::Expected<void> health();

  /// Queue entries claimable at now_ms (not leased, or lease expired).
  domain::Expected<std::int64_t> queue_depth(std::int64_t now_ms);

 private:
  explicit SqliteTaskStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace evapo::storage
