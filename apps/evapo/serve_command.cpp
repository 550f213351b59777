#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <evapo/pipeline/pipeline_setup.hpp>
#include <evapo/server/config.hpp>
#include <evapo/server/metrics.hpp>
#include <evapo/server/place_search_service.hpp>
#include <evapo/server/serve.hpp>
#include <evapo/sources/geocoding_client.hpp>
#include <evapo/sources/http_client.hpp>

#include "node_operations.hpp"
#include "subcommand.hpp"

namespace evapo::app {
namespace {

struct ServeFlags {
  std::string config_file;
  std::map<std::string, std::string> values;  // config key -> flag text, only flags given
};

// web/dist of the source tree, found from the working directory or from the binary
// (build/<preset>/apps/evapo/evapo); empty when neither exists.
std::string default_web_root() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file("web/dist/index.html", ec)) return fs::absolute("web/dist", ec).string();
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
       dir = dir.parent_path()) {
    if (fs::is_regular_file(dir / "web/dist/index.html", ec)) return (dir / "web/dist").string();
  }
  return {};
}

void add_upstream_metrics(server::MetricsRegistry& metrics, const sources::HttpClient& http) {
  metrics.add_collector([&http](std::string& out) {
    const auto counts = http.counters();
    out +=
        "# HELP evapo_upstream_requests_total Requests sent to weather upstreams (retries "
        "included).\n";
    out += "# TYPE evapo_upstream_requests_total counter\n";
    for (const auto& [tag, count] : counts) {
      out +=
          fmt::format("evapo_upstream_requests_total{{source=\"{}\"}} {}\n", tag, count.requests);
    }
    out += "# HELP evapo_upstream_errors_total Upstream requests that failed.\n";
    out += "# TYPE evapo_upstream_errors_total counter\n";
    for (const auto& [tag, count] : counts) {
      out += fmt::format("evapo_upstream_errors_total{{source=\"{}\"}} {}\n", tag, count.errors);
    }
    out += "# HELP evapo_upstream_timeouts_total Upstream attempts that timed out.\n";
    out += "# TYPE evapo_upstream_timeouts_total counter\n";
    for (const auto& [tag, count] : counts) {
      out +=
          fmt::format("evapo_upstream_timeouts_total{{source=\"{}\"}} {}\n", tag, count.timeouts);
    }
  });
}

int run_serve(const ServeFlags& flags) {
  server::ConfigSources config_sources;
  if (!flags.config_file.empty()) config_sources.file_path = flags.config_file;
  config_sources.environment = server::evapo_environment();
  config_sources.flags = flags.values;
  auto config = server::resolve_config(config_sources);
  if (!config) {
    std::fprintf(stderr, "evapo serve: %s\n", config.error().message.c_str());
    return kExitBadInput;
  }
  if (config->web_root.empty()) config->web_root = default_web_root();

  auto setup = pipeline::setup_pipeline(
      {.cache_url = pipeline::cache_url_for(server::backend_settings(*config).database_url,
                                            config->data_dir)});
  if (!setup) {
    std::fprintf(stderr, "evapo serve: %s\n", setup.error().message.c_str());
    return kExitBadInput;
  }
  for (const auto& warning : setup->warnings) {
    std::fprintf(stderr, "evapo serve: warning: %s\n", warning.c_str());
  }
  sources::HttpClient& http = *setup->context->http;

  server::PlaceSearchService places([&http, config = setup->context->sources](const auto& query) {
    return sources::search_places(query, config, http);
  });

  server::ServeOptions options;
  options.config = *config;
  options.services = {.land = setup->context->land, .places = &places};
  options.add_metrics = [&http](server::MetricsRegistry& metrics) {
    add_upstream_metrics(metrics, http);
  };
  connect_calculations(options, *setup);
  return server::serve_until_signal(std::move(options));
}

void setup_serve(CLI::App& parent, int& exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  auto* command = parent.add_subcommand(
      "serve",
      "HTTP API, WebSocket/SSE live progress and the web UI on one port (embedded defaults)");
  command->add_option("--config", flags->config_file,
                      "JSON file of settings (unknown keys are an error)");
  // Every flag is optional and overrides file and EVAPO_* environment; only given flags count.
  struct FlagSpec {
    const char* flag;
    const char* key;
    const char* help;
  };
  static const FlagSpec kFlags[] = {
      {"--host", "host", "Address to listen on (127.0.0.1)"},
      {"--port", "port", "Port (8000; 0 picks a free one)"},
      {"--data-dir", "data_dir", "Task store and download cache directory (./data)"},
      {"--web-root", "web_root", "Built web UI to serve (default: web/dist of the source tree)"},
      {"--workers", "workers",
       "Calculation worker threads (-1: one per core; 0: none, an API and live-events node)"},
      {"--io-threads", "io_threads", "Network threads (2)"},
      {"--rate-limit", "rate_limit_per_s",
       "Requests per second per client on POST/DELETE (20; 0 = off)"},
      {"--task-timeout", "task_timeout_s",
       "Seconds before a running task ends with TIMEOUT (1800)"},
  };
  for (const auto& spec : kFlags) {
    command->add_option_function<std::string>(
        spec.flag,
        [flags, key = std::string(spec.key)](const std::string& value) {
          flags->values[key] = value;
        },
        spec.help);
  }
  command->callback([flags, &exit_code] { exit_code = run_serve(*flags); });
}

const RegisterSubcommand kRegisterServe{setup_serve};

}  // namespace
}  // namespace evapo::app
