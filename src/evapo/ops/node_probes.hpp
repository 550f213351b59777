#pragma once

// What the operations monitor reads from the layers around it, given as functions so that the
// ops layer depends on none of them: the task service's counts, the server's connection
// counters, the workers' heartbeats and the HTTP layer's upstream attempts.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/sources/upstream_attempts.hpp>
#include <evapo/sources/upstream_counters.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::ops {

/// The HTTP layer's connection and request counters.
struct ConnectionCounts {
  std::int64_t websockets = 0;  // open WebSocket connections (task and operations streams)
  std::int64_t sse = 0;         // open Server-Sent Events streams
  std::uint64_t http_requests_total = 0;  // requests answered since start
};

/// One worker process's last heartbeat (tasks::WorkerInfo in the distributed mode).
struct WorkerBeat {
  std::string id;
  std::string host;
  int concurrency = 0;
  std::int64_t running = 0;
  std::chrono::system_clock::time_point last_beat;
};

struct NodeProbes {
  std::function<domain::Expected<tasks::TaskCounts>()> task_counts;
  std::function<ConnectionCounts()> connections;
  /// The workers known to the deployment; embedded: this process's pool, beating with it.
  std::function<std::vector<WorkerBeat>()> workers;
  std::chrono::milliseconds heartbeat_period{std::chrono::seconds(2)};
  /// The upstream attempts of the last minutes and the totals since start; unset: none.
  std::function<std::map<std::string, sources::UpstreamWindow>()> upstream_window;
  std::function<sources::UpstreamCountersSnapshot()> upstream_totals;
};

}  // namespace evapo::ops
