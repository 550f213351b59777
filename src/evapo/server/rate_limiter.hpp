#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace evapo::server {

/// A token bucket per client key (the peer address): `rate_per_s` tokens a second, at most
/// `burst` stored. Thread-safe. Memory is bounded: buckets idle long enough to be full again are
/// forgotten when the table grows past `max_clients`.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  /// rate_per_s <= 0 disables limiting (every request allowed).
  RateLimiter(double rate_per_s, double burst, std::size_t max_clients = 100'000);

  /// Takes one token for `client`. nullopt when allowed; otherwise the whole seconds after which
  /// a token will be available (>= 1), for the Retry-After header.
  std::optional<int> acquire(const std::string& client, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0.0;
    Clock::time_point updated;
  };

  void forget_full_buckets(Clock::time_point now);

  double rate_per_s_;
  double burst_;
  std::size_t max_clients_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace evapo::server
