#pragma once

#include <chrono>

#include <evapo/tasks/calculation_fn.hpp>
#include <evapo/tasks/event_bus.hpp>

namespace evapo::tasks {

/// How a TaskService runs tasks (the backends it runs them on are given separately).
struct TaskServiceOptions {
  /// Worker threads; 0: one per core (std::thread::hardware_concurrency, at least 1). A node
  /// that only answers the API and relays events (`evapo serve --workers 0` in a cluster) sets
  /// `run_workers` to false instead.
  int workers = 0;
  /// False: no workers, no heartbeat (an API-only node).
  bool run_workers = true;
  /// A run still going after this long ends with a TIMEOUT event (counted per run attempt).
  std::chrono::milliseconds task_timeout{std::chrono::minutes(30)};
  /// A claimed task whose worker stops renewing it for this long is run again.
  std::chrono::milliseconds lease{std::chrono::seconds(30)};
  /// How often the watchdog checks deadlines, renews leases and looks for cancels made on
  /// other nodes.
  std::chrono::milliseconds watchdog_period{std::chrono::milliseconds(50)};
  /// Finished tasks (and their event logs) older than this are deleted; zero keeps them all.
  std::chrono::milliseconds retention{std::chrono::hours(24 * 7)};
  /// How often old finished tasks are looked for (a bounded batch each time).
  std::chrono::milliseconds prune_period{std::chrono::minutes(1)};
  /// How often this process's workers announce themselves (WorkerRegistry); they count as gone
  /// after three missed beats.
  std::chrono::milliseconds heartbeat_period{std::chrono::seconds(2)};
  /// A task claimed more often than this (it keeps killing its worker) ends with ERROR
  /// `worker_lost`.
  int max_attempts = 3;
  /// What a worker runs; required when run_workers.
  CalculationFn calculation;
  /// Told about every event this process stores, on the publishing thread (ObservedEventBus):
  /// how the operations channel learns about calculations; optional.
  EventHandler event_observer;
};

}  // namespace evapo::tasks
