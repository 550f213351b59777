#pragma once

// The weather sources as the dashboard sees them: each attempt to an upstream (the HTTP layer's
// UpstreamAttemptLog listener) feeds that source's health tracker (health.hpp); changes wait for
// the monitor thread, which publishes them (the listener runs on download threads at idle
// priority and must not take the channel's lock). source_status is built from the attempt
// window: latency p50/p95, error rate, retries and rate-limit waits over the last 5 minutes.

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <evapo/ops/health.hpp>
#include <evapo/sources/upstream_attempts.hpp>
#include <evapo/sources/upstream_counters.hpp>

namespace evapo::ops {

struct SourceHealthChange {
  std::string source;
  Health state = Health::healthy;
  double failed_share = 0.0;
  std::size_t attempts = 0;
};

/// Thread-safe.
class SourceMonitor {
 public:
  /// `sources`: the weather sources evapo knows, with whether each is enabled
  /// (SourcesConfig); others (e.g. "elevation") are added when first seen.
  SourceMonitor(std::map<std::string, bool> sources, SourceHealthRule rule = {});

  /// Called after a change is queued (wakes the monitor thread).
  void set_on_change(std::function<void()> on_change);

  /// The attempt listener.
  void on_attempt(const sources::UpstreamAttempt& attempt);

  /// Changes since the last call, in order.
  std::vector<SourceHealthChange> take_changes();

  /// Every source's current state: (name, state, failed share, attempts in window).
  std::vector<SourceHealthChange> states() const;

  /// source_status data of every source, from the attempt window and the totals since start.
  std::vector<nlohmann::json> statuses(const std::map<std::string, sources::UpstreamWindow>& window,
                                       const sources::UpstreamCountersSnapshot& totals) const;

 private:
  struct Source {
    bool enabled = true;
    SourceHealthTracker tracker;
  };
  SourceHealthRule rule_;
  mutable std::mutex mutex_;
  std::map<std::string, Source> sources_;
  std::vector<SourceHealthChange> changes_;
  std::function<void()> on_change_;
};

/// The `p`-th percentile (0-100, nearest rank) of `values`; nullopt when empty.
std::optional<double> percentile(std::vector<double> values, double p);

}  // namespace evapo::ops
