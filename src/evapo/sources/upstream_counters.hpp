#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace evapo::sources {

/// Counts of one upstream (tag) since start: what the server exposes as Prometheus metrics.
struct UpstreamCount {
  std::uint64_t requests = 0;  // attempts sent, retries included
  std::uint64_t retries = 0;   // attempts after the first
  std::uint64_t errors = 0;    // requests that ended in an Error or a non-2xx status
  std::uint64_t timeouts = 0;  // attempts that timed out
};

/// Tag ("nasa_power", "elevation", ...) -> counts; a copy, safe to keep.
using UpstreamCountersSnapshot = std::map<std::string, UpstreamCount>;

/// Thread-safe counters per tag.
class UpstreamCounters {
 public:
  /// One attempt sent; attempt > 1 also counts a retry.
  void add_request(const std::string& tag, int attempt);
  void add_error(const std::string& tag);
  void add_timeout(const std::string& tag);
  UpstreamCountersSnapshot snapshot() const;

 private:
  mutable std::mutex mutex_;
  UpstreamCountersSnapshot counts_;
};

}  // namespace evapo::sources
