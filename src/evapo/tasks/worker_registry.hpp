#pragma once

// Who is running calculations: each worker process (an `evapo worker`, or `evapo serve` with its
// in-process workers) beats every few seconds; a worker whose last beat is older than its ttl
// is gone (killed, or its machine is). Backends: in-process (local_worker_registry.hpp) for the
// embedded setup, Redis (redis_worker_registry.hpp) shared by a cluster.

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>

namespace evapo::tasks {

/// One worker process's heartbeat.
struct WorkerInfo {
  std::string id;  // unique per process start: "<host>-<pid>-<random>"
  std::string host;
  int pid = 0;
  int concurrency = 0;                     // calculation threads
  std::vector<std::string> running_tasks;  // ids of the tasks it runs now
  std::string started_at;                  // ISO-8601 UTC with milliseconds
  std::string last_beat;                   // ISO-8601 UTC with milliseconds
};

/// {"worker_id","host","pid","concurrency","running","running_tasks","started_at","last_beat"}.
nlohmann::json to_json(const WorkerInfo& worker);

class WorkerRegistry {
 public:
  virtual ~WorkerRegistry() = default;

  /// Records the worker's beat; it counts as alive for `ttl` after it.
  virtual domain::Expected<void> beat(const WorkerInfo& worker, std::chrono::milliseconds ttl) = 0;

  /// Forgets the worker at once (a clean stop).
  virtual domain::Expected<void> remove(const std::string& worker_id) = 0;

  /// Workers alive now, by id.
  virtual domain::Expected<std::vector<WorkerInfo>> list() = 0;
};

}  // namespace evapo::tasks
