#pragma once

// The recent attempts of each upstream, kept for the operations dashboard: its health (share of
// failed attempts among the last ones), latency percentiles, retries and rate-limit waits over
// the last minutes. UpstreamCounters keeps the totals since start; this keeps the window.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace evapo::sources {

/// One finished attempt of a request to an upstream.
struct UpstreamAttempt {
  std::string tag;  // source id or "elevation"
  std::chrono::system_clock::time_point ended_at;
  std::chrono::microseconds latency{0};  // from the attempt's start to its end
  long status = 0;                       // HTTP status, 0 when none (connection error, timeout)
  bool failed = false;  // no usable answer: connection error, timeout, truncated body, 5xx, 429
  bool retry = false;   // not the request's first attempt
};

/// What the log holds of one upstream.
struct UpstreamWindow {
  std::vector<UpstreamAttempt> attempts;  // oldest first, within the time window
  std::int64_t rate_limit_waits = 0;      // times a request waited for the host's rate limit
};

/// Thread-safe.
class UpstreamAttemptLog {
 public:
  /// Keeps, per tag, the attempts of the last `window`, at most `max_per_tag` of them.
  explicit UpstreamAttemptLog(std::chrono::seconds window = std::chrono::minutes(5),
                              std::size_t max_per_tag = 4096)
      : window_(window), max_per_tag_(max_per_tag) {}

  /// Called after each attempt is recorded, on the recording thread, outside the log's lock;
  /// must be quick. One listener; setting another replaces it.
  using Listener = std::function<void(const UpstreamAttempt&)>;
  void set_listener(Listener listener);

  void record(UpstreamAttempt attempt);
  void record_rate_limit_wait(const std::string& tag, std::chrono::system_clock::time_point at);

  /// Per tag, what happened since `now - window`.
  std::map<std::string, UpstreamWindow> snapshot(std::chrono::system_clock::time_point now) const;

 private:
  struct PerTag {
    std::deque<UpstreamAttempt> attempts;
    std::deque<std::chrono::system_clock::time_point> waits;
  };
  void expire(PerTag& tag, std::chrono::system_clock::time_point now) const;

  std::chrono::seconds window_;
  std::size_t max_per_tag_;
  mutable std::mutex mutex_;
  std::map<std::string, PerTag> tags_;
  std::shared_ptr<const Listener> listener_;
};

}  // namespace evapo::sources
