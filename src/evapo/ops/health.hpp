#pragma once

// The health rules of the operations dashboard, as pure functions of what was observed:
// - a weather source: among its last 20 attempts (judged from 5 on), >= 50 % failed is down,
//   >= 10 % degraded; a down source is healthy again after 5 successful attempts in a row, its
//   window then starting over (as a circuit breaker closes after its probes succeed);
// - a worker: silent for 3 heartbeats is down;
// - the task store: down when it cannot answer, degraded when it answers slower than 1 s;
// - the queue: down when its depth cannot be read, degraded when more than 500 tasks wait.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>

namespace evapo::ops {

enum class Health { healthy, degraded, down };

/// "healthy", "degraded", "down".
std::string_view to_string(Health health);

struct SourceHealthRule {
  std::size_t window = 20;       // attempts judged
  std::size_t min_attempts = 5;  // fewer say too little: the state stays as it is
  double down_share = 0.5;       // failed share at or above which the source is down
  double degraded_share = 0.1;   // ... degraded
  int recovery_successes = 5;    // straight successes that bring a down source back
};

/// One source's recent attempts and the state they give. Not thread-safe.
class SourceHealthTracker {
 public:
  explicit SourceHealthTracker(SourceHealthRule rule = {}) : rule_(rule) {}

  /// Adds one attempt; returns the new state when it changed.
  std::optional<Health> record(bool failed);

  Health state() const { return state_; }
  /// Failed share of the attempts in the window (0 when empty).
  double failed_share() const;
  std::size_t attempts_in_window() const { return window_.size(); }

 private:
  Health judge() const;

  SourceHealthRule rule_;
  std::deque<bool> window_;  // failed?, oldest first
  std::size_t failures_ = 0;
  int straight_successes_ = 0;
  Health state_ = Health::healthy;
};

/// A worker whose last heartbeat is older than three periods is down.
Health worker_health(std::chrono::system_clock::time_point last_beat,
                     std::chrono::system_clock::time_point now,
                     std::chrono::milliseconds heartbeat_period);

/// The task store answered (or not) a probe in `latency`.
Health store_health(bool answered, std::chrono::milliseconds latency);

/// The queue's depth, when it could be read.
Health queue_health(std::optional<std::int64_t> depth, std::int64_t degraded_depth = 500);

}  // namespace evapo::ops
