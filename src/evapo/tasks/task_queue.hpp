#pragma once

// The work queue of task ids, with the semantics of a Redis Streams consumer group (backends:
// the embedded SQLite one, sqlite_task_backend.hpp, and Redis, redis_task_queue.hpp):
//   enqueue ~ XADD tasks                        (after the task's record is stored in the TaskLog)
//   claim   ~ XREADGROUP ... > , or XAUTOCLAIM of an entry whose lease expired
//   extend  ~ XCLAIM <own id> JUSTID            (a long task keeps its claim)
//   ack     ~ XACK, only once the task is finished (its terminal event written)
// A claimed task that is never acked (worker or process died) becomes claimable again when its
// lease expires, so it is run again: delivery is at-least-once and the event log of a re-run
// continues with increasing seq.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <evapo/domain/error.hpp>

namespace evapo::tasks {

/// A task handed to one worker until it acks it or its lease expires.
struct Claim {
  std::string task_id;
  std::string worker_id;
  int attempt = 1;       // 1 on the first delivery, 2 when re-run after a dead worker, ...
  std::string entry_id;  // the backend's handle of the queue entry (Redis: the stream entry id)
};

class TaskQueue {
 public:
  virtual ~TaskQueue() = default;

  /// Makes a task already stored by TaskLog::insert claimable (the SQLite backend's task row is
  /// its queue entry, so there it only wakes a waiting claim). Errors: unavailable / internal.
  virtual domain::Expected<void> enqueue(const std::string& task_id) = 0;

  /// The oldest claimable task (queued, or claimed by someone whose lease expired), leased to
  /// `worker_id` for `lease`. Waits up to `wait` for one to appear; nullopt when none did or
  /// wake_all() was called.
  virtual domain::Expected<std::optional<Claim>> claim(const std::string& worker_id,
                                                       std::chrono::milliseconds lease,
                                                       std::chrono::milliseconds wait) = 0;

  /// Renews the lease of a claim still held. Errors: not_found when the claim was lost
  /// (expired and taken by another worker, or the task was acked).
  virtual domain::Expected<void> extend(const Claim& claim, std::chrono::milliseconds lease) = 0;

  /// Removes the task from the queue for good. Call only after its terminal event is written.
  virtual domain::Expected<void> ack(const Claim& claim) = 0;

  /// Gives a claim back without finishing it (graceful shutdown): claimable again at once.
  virtual domain::Expected<void> release(const Claim& claim) = 0;

  /// Tasks waiting to be claimed (not counting those being run).
  virtual domain::Expected<std::int64_t> depth() = 0;

  /// Whether the backend can serve now (readiness): reachable, answering, able to take writes
  /// (a full disk is resource_exhausted). Cheap enough to be asked every few seconds.
  virtual domain::Expected<void> health() = 0;

  /// Wakes every claim() that is waiting (used on shutdown).
  virtual void wake_all() = 0;
};

}  // namespace evapo::tasks
