#include <algorithm>
#include <cmath>

#include <evapo/server/rate_limiter.hpp>

namespace evapo::server {

RateLimiter::RateLimiter(double rate_per_s, double burst, std::size_t max_clients)
    : rate_per_s_(rate_per_s), burst_(std::max(1.0, burst)), max_clients_(max_clients) {}

std::optional<int> RateLimiter::acquire(const std::string& client, Clock::time_point now) {
  if (rate_per_s_ <= 0.0) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(client);
  if (found == buckets_.end()) {
    if (buckets_.size() >= max_clients_) forget_full_buckets(now);
    found = buckets_.emplace(client, Bucket{burst_, now}).first;
  }
  Bucket& bucket = found->second;
  const double elapsed_s = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.tokens = std::min(burst_, bucket.tokens + std::max(0.0, elapsed_s) * rate_per_s_);
  bucket.updated = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait_s = (1.0 - bucket.tokens) / rate_per_s_;
  return std::max(1, static_cast<int>(std::ceil(wait_s)));
}

void RateLimiter::forget_full_buckets(Clock::time_point now) {
  const double refill_s = burst_ / rate_per_s_;
  std::erase_if(buckets_, [&](const auto& entry) {
    return std::chrono::duration<double>(now - entry.second.updated).count() >= refill_s;
  });
}

}  // namespace evapo::server
