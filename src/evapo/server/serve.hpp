#pragma once

#include <functional>
#include <map>
#include <string>

#include <evapo/server/config.hpp>
#include <evapo/server/server.hpp>
#include <evapo/tasks/calculation_fn.hpp>
#include <evapo/tasks/task_backends.hpp>
#include <evapo/tasks/task_service_options.hpp>

namespace evapo::ops {
class Operations;
struct NodeProbes;
}  // namespace evapo::ops

namespace evapo::server {

class MetricsRegistry;

/// What `evapo serve` runs: the configuration, the calculation the workers run, and optional
/// extra metrics (the app adds the sources layer's upstream counters).
struct ServeOptions {
  ServerConfig config;
  tasks::CalculationFn calculation;
  std::function<void(MetricsRegistry&)> add_metrics;
  /// The weather sources and whether each is enabled (the operations dashboard lists them).
  std::map<std::string, bool> sources;
  /// Called once the operations channel is open, before any task runs: the app connects its
  /// HTTP layer and pipeline to it (fusion priors, upstream attempts) and fills the upstream
  /// probes.
  std::function<void(ops::Operations&, ops::NodeProbes&)> attach_operations;
  ServerServices services;  // land polygons, place search (operations and workspaces: set here)
};

/// The task backends the configuration names (database_url, queue_url; defaults: SQLite at
/// <data_dir>/evapo.sqlite3).
tasks::BackendSettings backend_settings(const ServerConfig& config);

/// The operations channel of a deployment: its queue's Redis when EVAPO_QUEUE_URL is redis://
/// (every node on one channel), else sqlite://<data_dir>/ops.sqlite3.
std::string ops_channel_url(const ServerConfig& config);

/// workspace_store_url; else the database_url when it is PostgreSQL (a cluster's nodes share
/// workspaces, datasets and sites there); else sqlite://<data_dir>/workspaces.sqlite3.
std::string workspace_store_url(const ServerConfig& config);

/// The task service options the configuration names (workers -1: one per core, 0: none).
tasks::TaskServiceOptions task_service_options(const ServerConfig& config,
                                               tasks::CalculationFn calculation);

/// Runs the server until SIGINT or SIGTERM: raises RLIMIT_NOFILE, opens the operations channel
/// and fusion priors ("<data_dir>/ops.sqlite3"), the workspace stores and the task backends
/// (embedded: SQLite under data_dir, re-running tasks a previous process left unfinished;
/// cluster: Redis + PostgreSQL), starts the workers (none with workers 0) and the server, prints
/// "evapo serve: listening on http://HOST:PORT" to stdout, and on the signal stops gracefully:
/// no new connections, live peers closed with 1001, running tasks get shutdown_grace_s to
/// finish, the rest stay re-runnable. Returns the process exit code: 0 after a clean stop, 2 for
/// a bad configuration, an unknown backend URL or a backend that cannot be reached (one message
/// on stderr naming the variable), 1 when the port cannot be opened.
int serve_until_signal(ServeOptions options);

/// What `evapo worker` runs until SIGINT or SIGTERM: opens the task backends (they must be
/// shared: redis + postgresql), the operations channel (its calculations, health and figures
/// are published there) and the workspace store (datasets' rows), runs `config.workers`
/// calculations at a time (-1: one per core) with heartbeats, prints "evapo worker: <id> running N
/// calculation(s) at a time from <URLs>" to stdout, and on the signal finishes or releases its
/// tasks within shutdown_grace_s. Returns 0 after a clean stop, 2 for a bad configuration or a
/// backend that cannot be reached (one message on stderr naming the variable).
int work_until_signal(ServeOptions options);

}  // namespace evapo::server
