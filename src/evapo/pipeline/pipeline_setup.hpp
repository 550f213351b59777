#pragma once

// The one composition root of the calculation's surroundings, shared by `evapo calc`,
// `evapo serve` and `evapo worker`, so that the same request gives the same rows from each:
// weather sources from their EVAPO_*_URL variables, fusion priors from EVAPO_FUSION_PRIORS,
// the land polygons, the download cache by URL, one HTTP client.

#include <memory>
#include <string>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/pipeline/pipeline_context.hpp>

namespace evapo::pipeline {

struct PipelineSetupOptions {
  /// The download cache (storage::open_weather_cache); empty: no cache.
  std::string cache_url;
};

struct PipelineSetup {
  /// Owns its HttpClient too: keep this pointer alive as long as calculations run.
  std::shared_ptr<const PipelineContext> context;
  /// Things that work less well than asked (a SQLite cache that could not be opened: the
  /// calculation runs without it), for the caller to print.
  std::vector<std::string> warnings;
};

/// Builds the context from the process environment. Errors: invalid_argument naming the
/// variable for a bad EVAPO_SOURCES / EVAPO_*_URL / EVAPO_FUSION_PRIORS; unavailable naming the
/// variable when a postgresql:// cache cannot be opened.
domain::Expected<PipelineSetup> setup_pipeline(const PipelineSetupOptions& options);

/// The cache a deployment uses: the database's own when it is a server (postgresql://, shared
/// by every worker), else sqlite://<data_dir>/cache.db.
std::string cache_url_for(const std::string& database_url, const std::string& data_dir);

}  // namespace evapo::pipeline
