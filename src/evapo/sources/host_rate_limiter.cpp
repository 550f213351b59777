#include <evapo/sources/host_rate_limiter.hpp>

namespace evapo::sources {

void HostRateLimiter::set_interval(const std::string& host, std::chrono::milliseconds interval) {
  const std::lock_guard lock(mutex_);
  if (interval.count() <= 0) {
    slots_.erase(host);
  } else {
    slots_[host].interval = interval;
  }
}

std::optional<HostRateLimiter::Clock::time_point> HostRateLimiter::try_acquire(
    const std::string& host, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  const auto it = slots_.find(host);
  if (it == slots_.end()) return std::nullopt;
  if (it->second.next > now) return it->second.next;
  it->second.next = now + it->second.interval;
  return std::nullopt;
}

}  // namespace evapo::sources
