#include <cstdlib>
#include <filesystem>

#include <evapo/pipeline/fusion_priors_file.hpp>
#include <evapo/pipeline/pipeline_setup.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/sources/land_mask.hpp>
#include <evapo/sources/sources_config.hpp>

namespace evapo::pipeline {

using domain::Error;
using domain::Expected;
using domain::fail;

namespace {

// The context and the HTTP client it points to, freed together.
struct OwnedContext {
  explicit OwnedContext(const sources::SourcesConfig& config)
      : http(sources::http_options_from(config)) {}
  sources::HttpClient http;
  PipelineContext context;
};

}  // namespace

Expected<PipelineSetup> setup_pipeline(const PipelineSetupOptions& options) {
  auto config = sources::SourcesConfig::from_environment();
  if (!config) return fail(config.error());
  auto owned = std::make_shared<OwnedContext>(*config);
  PipelineSetup setup;
  owned->context.sources = *config;
  owned->context.http = &owned->http;
  auto land = sources::shared_land_mask(config->land_path);
  if (!land) return fail(land.error());
  owned->context.land = *land;
  if (const char* priors = std::getenv("EVAPO_FUSION_PRIORS");
      priors != nullptr && *priors != '\0') {
    auto provider = load_priors_csv(priors);
    if (!provider) {
      return fail(Error{provider.error().code, "EVAPO_FUSION_PRIORS: " + provider.error().message,
                        provider.error().details});
    }
    owned->context.priors = *provider;
  }
  if (!options.cache_url.empty()) {
    if (options.cache_url.starts_with("sqlite://")) {
      const std::filesystem::path path = options.cache_url.substr(9);
      std::error_code ignored;
      if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ignored);
    }
    auto cache = storage::open_weather_cache(options.cache_url);
    if (cache) {
      owned->context.cache = *cache;
    } else if (options.cache_url.starts_with("sqlite://")) {
      setup.warnings.push_back("no download cache (" + cache.error().message + ")");
    } else {
      return fail(Error{
          cache.error().code, "EVAPO_DATABASE_URL (weather cache): " + cache.error().message, {}});
    }
  }
  setup.context = std::shared_ptr<const PipelineContext>(owned, &owned->context);
  return setup;
}

std::string cache_url_for(const std::string& database_url, const std::string& data_dir) {
  if (database_url.starts_with("postgresql://") || database_url.starts_with("postgres://")) {
    return database_url;
  }
  return "sqlite://" + (std::filesystem::path(data_dir) / "cache.db").string();
}

}  // namespace evapo::pipeline
