#include <algorithm>

#include <evapo/ops/calculation_volume.hpp>

namespace evapo::ops {

namespace {

std::int64_t epoch_second(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

void accumulate(VolumeCounts& sum, const VolumeCounts& add) {
  sum.started += add.started;
  sum.succeeded += add.succeeded;
  sum.failed += add.failed;
  sum.cancelled += add.cancelled;
  sum.days += add.days;
  sum.cache_hits += add.cache_hits;
  sum.cache_lookups += add.cache_lookups;
}

}  // namespace

nlohmann::json to_json(const VolumeCounts& c) {
  nlohmann::json out{{"started", c.started},
                     {"succeeded", c.succeeded},
                     {"failed", c.failed},
                     {"cancelled", c.cancelled},
                     {"days", c.days},
                     {"cache_hits", c.cache_hits},
                     {"cache_lookups", c.cache_lookups},
                     {"cache_hit_ratio", nullptr}};
  if (c.cache_lookups > 0) {
    out["cache_hit_ratio"] =
        static_cast<double>(c.cache_hits) / static_cast<double>(c.cache_lookups);
  }
  return out;
}

void CalculationVolume::add(const VolumeCounts& delta) {
  const std::int64_t second = epoch_second(clock_());
  std::lock_guard lock(mutex_);
  Bucket& bucket = buckets_[static_cast<std::size_t>(second) % kBuckets];
  if (bucket.second != second) bucket = Bucket{second, {}};
  accumulate(bucket.counts, delta);
}

VolumeCounts CalculationVolume::over_last(int seconds) const {
  const std::int64_t now = epoch_second(clock_());
  const std::int64_t first = now - std::clamp(seconds, 1, static_cast<int>(kBuckets)) + 1;
  VolumeCounts sum;
  std::lock_guard lock(mutex_);
  for (const auto& bucket : buckets_) {
    if (bucket.second >= first && bucket.second <= now) accumulate(sum, bucket.counts);
  }
  return sum;
}

nlohmann::json CalculationVolume::snapshot() const {
  return {{"minute", to_json(over_last(60))}, {"hour", to_json(over_last(3600))}};
}

}  // namespace evapo::ops
