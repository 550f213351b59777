#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <evapo/tasks/background_work.hpp>
#include <evapo/tasks/stop_signal.hpp>

namespace evapo::tasks {

/// How a background loop's thread is scheduled.
enum class LoopPriority { normal, idle };

/// One background thread calling `tick` every `period` until stopped, with its own stop signal.
/// The watchdog, the retention pruner, the heartbeat, the SQLite WAL checkpointer and the Redis
/// queue reconciler are each one of these.
class PeriodicLoop final : public BackgroundWork {
 public:
  /// `name` is the thread's name (at most 15 characters are kept). Not started yet.
  PeriodicLoop(std::string name, std::chrono::milliseconds period, std::function<void()> tick,
               LoopPriority priority = LoopPriority::normal);
  ~PeriodicLoop() override;  // stop()
  PeriodicLoop(const PeriodicLoop&) = delete;
  PeriodicLoop& operator=(const PeriodicLoop&) = delete;

  /// Starts the thread (idempotent). The first tick comes after one period.
  void start() override;

  /// Wakes the thread, waits for the tick in progress to end and joins it (idempotent).
  void stop() override;

 private:
  std::string name_;
  std::chrono::milliseconds period_;
  std::function<void()> tick_;
  LoopPriority priority_;
  StopSignal stop_;
  std::thread thread_;
};

}  // namespace evapo::tasks
