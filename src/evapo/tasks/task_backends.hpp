#pragma once

// The task backends of one process, chosen by URL (as open_weather_cache is):
//   EVAPO_DATABASE_URL  sqlite://PATH (default: <data_dir>/evapo.sqlite3) | postgresql://...
//   EVAPO_QUEUE_URL     sqlite://PATH (default: the database's)          | redis://HOST:PORT[/DB]
// sqlite + sqlite is the embedded setup (one process owns the file); redis + postgresql is the
// cluster (any number of `evapo serve` and `evapo worker` processes share them).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/tasks/background_work.hpp>
#include <evapo/tasks/event_bus.hpp>
#include <evapo/tasks/task_log.hpp>
#include <evapo/tasks/task_queue.hpp>
#include <evapo/tasks/worker_registry.hpp>

namespace evapo::storage {
class SqliteDatabase;
}

namespace evapo::tasks {

/// Everything a TaskService runs on.
struct TaskBackends {
  std::shared_ptr<TaskLog> log;
  std::shared_ptr<TaskQueue> queue;
  std::shared_ptr<EventBus> bus;
  std::shared_ptr<WorkerRegistry> workers;
  /// Started and stopped with the service (WAL checkpoints, queue reconciliation).
  std::vector<std::shared_ptr<BackgroundWork>> housekeeping;
  /// True when other processes use the same backends (a cancel may come from another node).
  bool shared = false;
  /// e.g. "sqlite:///data/evapo.sqlite3" or "redis://127.0.0.1:6379 + postgresql://..."
  /// (passwords left out), for logs.
  std::string description;
};

struct BackendSettings {
  std::string database_url{};
  /// Empty: the database's (SQLite). Named by `queue_url_name` in error messages.
  std::string queue_url{};
  std::string queue_url_name = "EVAPO_QUEUE_URL";
  std::string database_url_name = "EVAPO_DATABASE_URL";
  /// SQLite: how often the WAL is checkpointed from a second connection.
  std::chrono::milliseconds checkpoint_period{std::chrono::seconds(1)};
  /// Redis: how often tasks PostgreSQL holds as unfinished but the queue lost are re-enqueued.
  std::chrono::milliseconds reconcile_period{std::chrono::seconds(5)};
  /// Redis: a task is reconciled only once it is this old (its own enqueue had time to land).
  std::chrono::milliseconds reconcile_min_age{std::chrono::seconds(5)};
  /// PostgreSQL: connections kept open.
  int database_connections = 8;
};

/// Opens (connecting, migrating, and for SQLite releasing leases left by a previous process)
/// the backends the URLs name. Errors: invalid_argument naming the variable for an unknown
/// scheme or an unsupported pair (the queue's and the database's must be sqlite + sqlite or
/// redis + postgresql); unavailable naming the variable when a server cannot be reached or
/// refuses the credentials; internal on a schema problem.
domain::Expected<TaskBackends> open_task_backends(const BackendSettings& settings);

/// The embedded backends on an open SQLite database (open_task_backends for sqlite:// URLs; tests
/// that act on the file). Checks and migrates the file and releases leases a previous process
/// left. Errors: internal for a damaged file (the message says so) or a schema problem.
domain::Expected<TaskBackends> open_sqlite_task_backends(
    std::shared_ptr<storage::SqliteDatabase> database,
    std::chrono::milliseconds checkpoint_period = std::chrono::seconds(1));

/// The URL with any password replaced by "***", for messages.
std::string redact_url(const std::string& url);

}  // namespace evapo::tasks
