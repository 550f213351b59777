#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <evapo/core/fusion.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/sources/land_mask.hpp>
#include <evapo/sources/sources_config.hpp>
#include <evapo/storage/weather_cache.hpp>

namespace evapo::pipeline {

/// Everything a calculation needs from its surroundings; shared by concurrent calculations
/// (HttpClient and WeatherCache are thread-safe).
struct PipelineContext {
  sources::SourcesConfig sources;
  /// Shared connection pool; required.
  sources::HttpClient* http = nullptr;
  /// Download cache; null = no caching.
  std::shared_ptr<storage::WeatherCache> cache;
  /// Land polygons deciding "over the sea" (sources::shared_land_mask); null = not checked.
  std::shared_ptr<const sources::LandMask> land;
  RequestLimits limits;
  /// Override the fusion priors (by context); null = FusionPriors::defaults.
  std::function<core::FusionPriors(core::FusionContext)> priors;
  /// Wall clock, replaceable in tests.
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
};

/// A sink that drops every report.
class NullProgressSink final : public ProgressSink {
 public:
  void report(const Progress&) override {}
};

}  // namespace evapo::pipeline
