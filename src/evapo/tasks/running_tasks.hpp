#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <evapo/tasks/task_queue.hpp>

namespace evapo::tasks {

/// What a worker, the watchdog and cancel share about one task this process is running.
struct RunState {
  Claim claim;
  std::atomic<bool> cancelled{false};  // the calculation's RunControl flag
  std::atomic<bool> shutdown{false};   // stopped by a graceful stop: leave it re-runnable
  std::atomic<bool> timed_out{false};  // the watchdog published its TIMEOUT
  std::chrono::steady_clock::time_point deadline;
  std::chrono::steady_clock::time_point next_renewal;  // the watchdog's alone
};

/// The tasks this process is running, by id; thread-safe.
class RunningTasks {
 public:
  /// Registers a run. After wind_down() gave up waiting, a run added late is told to stop at
  /// once (it must not outlive the grace period).
  void add(const std::shared_ptr<RunState>& run);

  /// Unregisters a run that ended (wakes wind_down).
  void remove(const std::string& task_id);

  /// Tells the calculation of a running task to stop; false when it does not run here.
  bool cancel(const std::string& task_id);

  std::vector<std::shared_ptr<RunState>> snapshot() const;
  std::vector<std::string> ids() const;
  std::size_t size() const;

  /// Graceful stop: waits up to `grace` for every run to end, then tells those left to stop
  /// (shutdown + cancelled), as it will any run added later.
  void wind_down(std::chrono::milliseconds grace);

  /// Undoes wind_down for a new start.
  void reopen();

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool grace_over_ = false;
  std::unordered_map<std::string, std::shared_ptr<RunState>> runs_;
};

}  // namespace evapo::tasks
