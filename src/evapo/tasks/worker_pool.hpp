#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <evapo/tasks/event_bus.hpp>
#include <evapo/tasks/running_tasks.hpp>
#include <evapo/tasks/task_log.hpp>
#include <evapo/tasks/task_queue.hpp>
#include <evapo/tasks/task_service_options.hpp>

namespace evapo::tasks {

/// The worker threads of one process: each claims a task, runs its calculation on a thread of
/// its own at idle priority, publishes its progress in order and its terminal event, and acks
/// the claim only once that event is stored. A task claimed more than max_attempts times ends
/// with ERROR `worker_lost` without running.
class WorkerPool {
 public:
  /// Every reference must outlive the pool.
  WorkerPool(TaskQueue& queue, TaskLog& log, EventBus& bus, RunningTasks& running,
             const TaskServiceOptions& options, std::string instance_id);
  ~WorkerPool();  // request_stop() + join()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Starts `options.workers` threads (idempotent).
  void start();

  /// No new claims from now on: waiting claims are woken, a claim that lands anyway is released.
  void request_stop();

  /// Waits for every worker thread to exit (after request_stop and the runs winding down).
  void join();

 private:
  void work(const std::string& worker_id);
  void run(const Claim& claim);
  void finish(const Claim& claim, EventType type, std::string data_text);
  void give_back(const Claim& claim, std::string_view why);
  template <class Call>
  auto while_store_unavailable(const Claim& claim, Call call) -> decltype(call());

  TaskQueue& queue_;
  TaskLog& log_;
  EventBus& bus_;
  RunningTasks& running_;
  const TaskServiceOptions& options_;
  std::string instance_id_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace evapo::tasks
