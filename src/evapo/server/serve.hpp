#pragma once

#include <functional>
#include <map>
#include <string>

#include <evapo/server/config.hpp>
#include <evapo/server/server.hpp>
#include <evapo/tasks/calculation_fn.hpp>

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

/// Runs the embedded server until SIGINT or SIGTERM: raises RLIMIT_NOFILE, opens the operations
/// channel and fusion priors "<data_dir>/ops.sqlite3" and the task store
/// "<data_dir>/evapo.sqlite3" (re-running tasks a previous process left unfinished), starts the
/// workers and the server, prints "evapo serve: listening on http://HOST:PORT" to stdout, and on
/// the signal stops gracefully: no new connections, live peers closed with 1001, running tasks
/// get shutdown_grace_s to finish, the rest stay re-runnable. Returns the process exit code:
/// 0 after a clean stop, 2 for a bad configuration (message on stderr), 1 when the store or the
/// port cannot be opened.
int serve_until_signal(ServeOptions options);

}  // namespace evapo::server
