#include <evapo/ops/health.hpp>

namespace evapo::ops {

std::string_view to_string(Health health) {
  switch (health) {
    case Health::healthy:
      return "healthy";
    case Health::degraded:
      return "degraded";
    case Health::down:
      return "down";
  }
  return "down";
}

double SourceHealthTracker::failed_share() const {
  if (window_.empty()) return 0.0;
  return static_cast<double>(failures_) / static_cast<double>(window_.size());
}

Health SourceHealthTracker::judge() const {
  if (window_.size() < rule_.min_attempts) return state_;
  const double share = failed_share();
  if (share >= rule_.down_share) return Health::down;
  if (share >= rule_.degraded_share) return Health::degraded;
  return Health::healthy;
}

std::optional<Health> SourceHealthTracker::record(bool failed) {
  window_.push_back(failed);
  if (failed) ++failures_;
  if (window_.size() > rule_.window) {
    if (window_.front()) --failures_;
    window_.pop_front();
  }
  straight_successes_ = failed ? 0 : straight_successes_ + 1;

  Health next = judge();
  if (state_ == Health::down) {
    next = Health::down;
    if (straight_successes_ >= rule_.recovery_successes) {
      next = Health::healthy;
      window_.assign(static_cast<std::size_t>(straight_successes_), false);
      failures_ = 0;
    }
  }
  if (next == state_) return std::nullopt;
  state_ = next;
  return state_;
}

Health worker_health(std::chrono::system_clock::time_point last_beat,
                     std::chrono::system_clock::time_point now,
                     std::chrono::milliseconds heartbeat_period) {
  return now - last_beat > 3 * heartbeat_period ? Health::down : Health::healthy;
}

Health store_health(bool answered, std::chrono::milliseconds latency) {
  if (!answered) return Health::down;
  return latency > std::chrono::seconds(1) ? Health::degraded : Health::healthy;
}

Health queue_health(std::optional<std::int64_t> depth, std::int64_t degraded_depth) {
  if (!depth) return Health::down;
  return *depth > degraded_depth ? Health::degraded : Health::healthy;
}

}  // namespace evapo::ops
