// `evapo worker`: runs calculations from the cluster's shared queue (EVAPO_QUEUE_URL=redis://,
// EVAPO_DATABASE_URL=postgresql://) until SIGTERM / SIGINT, then finishes or releases its tasks
// as `evapo serve` does. It announces itself every two seconds (GET /api/v1/workers on any node).

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <evapo/pipeline/pipeline_setup.hpp>
#include <evapo/server/config.hpp>
#include <evapo/server/serve.hpp>

#include "node_operations.hpp"
#include "subcommand.hpp"

namespace evapo::app {
namespace {

struct WorkerFlags {
  std::string config_file;
  std::map<std::string, std::string> values;  // config key -> flag text, only flags given
};

int fail_start(const std::string& message) {
  std::fprintf(stderr, "evapo worker: %s\n", message.c_str());
  return kExitBadInput;
}

int run_worker(const WorkerFlags& flags) {
  server::ConfigSources config_sources;
  if (!flags.config_file.empty()) config_sources.file_path = flags.config_file;
  config_sources.environment = server::evapo_environment();
  config_sources.flags = flags.values;
  auto config = server::resolve_config(config_sources);
  if (!config) return fail_start(config.error().message);
  const auto settings = server::backend_settings(*config);
  auto setup = pipeline::setup_pipeline(
      {.cache_url = pipeline::cache_url_for(settings.database_url, config->data_dir)});
  if (!setup) return fail_start(setup.error().message);
  for (const auto& warning : setup->warnings) {
    std::fprintf(stderr, "evapo worker: warning: %s\n", warning.c_str());
  }
  server::ServeOptions options;
  options.config = *config;
  connect_calculations(options, *setup);
  return server::work_until_signal(std::move(options));
}

void setup_worker(CLI::App& parent, int& exit_code) {
  auto flags = std::make_shared<WorkerFlags>();
  auto* command = parent.add_subcommand(
      "worker", "Run calculations from a cluster's shared queue (Redis + PostgreSQL)");
  command->add_option("--config", flags->config_file,
                      "JSON file of settings (the keys of evapo serve; unknown keys are an error)");
  command->add_option_function<std::string>(
      "--concurrency", [flags](const std::string& value) { flags->values["workers"] = value; },
      "Calculations run at a time (default: one per core)");
  command->add_option_function<std::string>(
      "--task-timeout",
      [flags](const std::string& value) { flags->values["task_timeout_s"] = value; },
      "Seconds before a running task ends with TIMEOUT (1800)");
  command->add_option_function<std::string>(
      "--data-dir", [flags](const std::string& value) { flags->values["data_dir"] = value; },
      "Directory for a local download cache when the database is not PostgreSQL (./data)");
  command->callback([flags, &exit_code] { exit_code = run_worker(*flags); });
}

const RegisterSubcommand kRegisterWorker{setup_worker};

}  // namespace
}  // namespace evapo::app
