#pragma once

// How many calculations a node started, finished and failed, the days it computed and how often
// a source's data came from the download cache, over the last minute and the last hour
// (calculation_volume). Per-second buckets; thread-safe.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

#include <nlohmann/json.hpp>

namespace evapo::ops {

struct VolumeCounts {
  std::int64_t started = 0;  // runs begun (a re-run after a crash counts again)
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;  // ERROR or TIMEOUT
  std::int64_t cancelled = 0;
  std::int64_t days = 0;           // days with an ETo value in the results of those succeeded
  std::int64_t cache_hits = 0;     // a source's data for a task served from the cache
  std::int64_t cache_lookups = 0;  // sources fetched or served from the cache
};

/// {"started","succeeded","failed","cancelled","days","cache_hits","cache_lookups",
///  "cache_hit_ratio"} (the ratio null with no lookup).
nlohmann::json to_json(const VolumeCounts& counts);

class CalculationVolume {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  explicit CalculationVolume(Clock clock = [] { return std::chrono::system_clock::now(); })
      : clock_(std::move(clock)) {}

  /// Adds `delta` to the current second.
  void add(const VolumeCounts& delta);

  /// Sums over the last `seconds` (at most 3600) up to now.
  VolumeCounts over_last(int seconds) const;

  /// {"minute": to_json(over_last(60)), "hour": to_json(over_last(3600))}.
  nlohmann::json snapshot() const;

 private:
  struct Bucket {
    std::int64_t second = -1;
    VolumeCounts counts;
  };
  static constexpr std::size_t kBuckets = 3600;
  Clock clock_;
  mutable std::mutex mutex_;
  std::array<Bucket, kBuckets> buckets_{};
};

}  // namespace evapo::ops
