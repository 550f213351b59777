#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace evapo::sources {

/// Spaces request starts to each host by a minimum interval (the providers' quotas). Thread-safe;
/// hosts without an interval are never held back.
class HostRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  /// Sets the minimum interval between two starts to `host` (0 removes the limit).
  void set_interval(const std::string& host, std::chrono::milliseconds interval);

  /// Takes the slot when `host` may start now (nullopt); otherwise the time to try again.
  std::optional<Clock::time_point> try_acquire(const std::string& host, Clock::time_point now);

 private:
  struct Slot {
    std::chrono::milliseconds interval{0};
    Clock::time_point next{};
  };
  std::mutex mutex_;
  std::map<std::string, Slot, std::less<>> slots_;
};

}  // namespace evapo::sources
