#pragma once

// Puts back into the Redis queue every task the system of record (PostgreSQL) holds as queued
// or running but the queue no longer knows: Redis restarted without its data (or with an AOF
// that missed the last second), or a submit stored the task and failed to enqueue it. Every
// few seconds one node (holding a short Redis lock) reads the unfinished tasks older than a few
// seconds and enqueues the missing ones; the enqueue script skips the tasks the queue holds.
// A task re-enqueued while a worker still runs it may run twice; the log keeps exactly one
// terminal event either way.

#include <chrono>
#include <memory>
#include <string>

#include <evapo/tasks/background_work.hpp>
#include <evapo/tasks/periodic_loop.hpp>
#include <evapo/tasks/redis_client.hpp>
#include <evapo/tasks/redis_task_queue.hpp>
#include <evapo/tasks/task_log.hpp>

namespace evapo::tasks {

class QueueReconciler final : public BackgroundWork {
 public:
  QueueReconciler(std::shared_ptr<TaskLog> log, std::shared_ptr<RedisTaskQueue> queue,
                  std::shared_ptr<RedisClient> redis, std::string node_id,
                  std::chrono::milliseconds period, std::chrono::milliseconds min_age);

  void start() override { loop_.start(); }
  void stop() override { loop_.stop(); }

  /// One pass (the loop's tick); returns how many tasks it enqueued.
  domain::Expected<std::int64_t> reconcile();

 private:
  std::shared_ptr<TaskLog> log_;
  std::shared_ptr<RedisTaskQueue> queue_;
  std::shared_ptr<RedisClient> redis_;
  std::string node_id_;
  std::chrono::milliseconds period_;
  std::chrono::milliseconds min_age_;
  PeriodicLoop loop_;
};

}  // namespace evapo::tasks
