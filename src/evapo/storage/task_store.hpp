#pragma once

// SQLite persistence of `evapo serve` tasks: one row per task (its state, its queue lease) and
// one append-only event log per task. The task layer (evapo::tasks) builds its TaskQueue and
// TaskLog on this; JSON payloads are stored as text and not parsed here.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/storage/sqlite_database.hpp>

namespace evapo::storage {

/// One task as stored. A task is finished exactly when finished_at is set.
struct TaskRow {
  std::string id;
  std::string state;  // "queued", "processing" or a terminal state name
  std::string request_json;
  std::string created_at;  // ISO-8601 UTC with milliseconds, like every time here
  std::string updated_at;
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
  int progress = 0;
  std::string step;
  std::int64_t last_seq = 0;
  int attempts = 0;                        // times claimed
  std::int64_t position = 0;               // insertion order (rowid): list pages start by it
  std::optional<std::string> result_json;  // terminal success data (the terminal event's)
  std::optional<std::string> error_json;   // terminal failure data (the terminal event's)
};

/// One stored event.
struct TaskEventRow {
  std::string task_id;
  std::int64_t seq = 0;
  std::string type;
  std::string ts;
  std::string data_json;
};

/// Whether an appended event ends its task.
enum class EventEnding { keeps_open, finishes_task };

/// An event to append and what it changes on its task's row.
struct TaskEventAppend {
  std::string task_id;
  std::string type;
  std::string ts;
  std::string data_json;
  EventEnding ending = EventEnding::keeps_open;
  std::string state;                // the task's state after the event
  std::optional<int> progress;      // new progress, when the event carries one
  std::optional<std::string> step;  // new step key, when the event carries one
};

/// A queue entry handed to one owner until acked or its lease passes.
struct TaskClaimRow {
  std::string task_id;
  int attempt = 1;
};

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

  /// Sets state "processing" and started_at (first time only) of an unfinished task.
  domain::Expected<void> mark_started(const std::string& task_id, const std::string& ts);

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
