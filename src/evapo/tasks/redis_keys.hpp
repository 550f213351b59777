#pragma once

// Every Redis key this program uses. Keys that one script touches together share a hash tag
// ({...}) so that they land in one slot of a Redis Cluster.

#include <string>

namespace evapo::tasks::redis_keys {

/// The task queue: a stream of {"task": id} entries read by consumer group kWorkers.
inline constexpr const char* kQueue = "evapo:{queue}";
/// task id -> queue entry id, for every task in the queue (so an enqueue is done once).
inline constexpr const char* kQueueIndex = "evapo:{queue}:entries";
inline constexpr const char* kWorkers = "workers";
/// Held by the node reconciling the queue against PostgreSQL.
inline constexpr const char* kReconcilerLock = "evapo:reconciler";
/// Sorted set of worker ids by last beat (ms); each worker's heartbeat is kWorkerPrefix + id.
inline constexpr const char* kWorkerSet = "evapo:workers";
inline constexpr const char* kWorkerPrefix = "evapo:worker:";

/// A task's live event stream (entry id "<seq>-0"; fields type, ts, data).
inline std::string task_events(const std::string& task_id) {
  return "evapo:task:{" + task_id + "}:events";
}
/// A task's stream state: last seq added, and "terminal" once its terminal event is in.
inline std::string task_meta(const std::string& task_id) {
  return "evapo:task:{" + task_id + "}:meta";
}
/// Written to wake a node's blocking stream reader when it has new streams to watch.
inline std::string node_wake(const std::string& node_id) {
  return "evapo:node:{" + node_id + "}:wake";
}

}  // namespace evapo::tasks::redis_keys
