#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace evapo::tasks {

/// A one-shot "stop now" flag a loop can sleep on: request() wakes every wait at once. Each
/// background loop owns its own, so stopping one never wakes or ends another.
class StopSignal {
 public:
  /// Sets the flag and wakes every waiter (idempotent).
  void request() {
    {
      std::lock_guard lock(mutex_);
      requested_ = true;
    }
    changed_.notify_all();
  }

  /// Clears the flag so the owner can be started again.
  void reset() {
    std::lock_guard lock(mutex_);
    requested_ = false;
  }

  bool requested() const {
    std::lock_guard lock(mutex_);
    return requested_;
  }

  /// Sleeps up to `period`; true when stop was requested (before or during the wait).
  bool wait_for(std::chrono::milliseconds period) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, period, [&] { return requested_; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool requested_ = false;
};

}  // namespace evapo::tasks
