// `evapo serve` or `evapo worker` with the fake calculation instead of the pipeline, configured
// from the environment as the real commands are (EVAPO_QUEUE_URL, EVAPO_DATABASE_URL,
// EVAPO_PORT, EVAPO_WORKERS, EVAPO_TASK_LEASE_S ...): what the cluster tests start as separate
// processes so that they can kill -9 them. Usage:
//   evapo_cluster_test_host serve|worker STEP_DELAY_MS
// A request for latitude -89.5 aborts the process that runs it (a poison task).

#include <cstdio>
#include <cstdlib>
#include <string>

#include <evapo/server/serve.hpp>

#include "../server/fake_calculation.hpp"

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string role = argv[1];
  auto fake = std::make_shared<evapo::server::testing::FakeControl>();
  fake->step_delay_ms = std::atoi(argv[2]);
  evapo::server::ConfigSources sources;
  sources.environment = evapo::server::evapo_environment();
  auto config = evapo::server::resolve_config(sources);
  if (!config) {
    std::fprintf(stderr, "%s\n", config.error().message.c_str());
    return 2;
  }
  evapo::server::ServeOptions options;
  options.config = *config;
  auto calculation = evapo::server::testing::fake_calculation(fake);
  options.calculation = [calculation](const evapo::pipeline::CalculationRequest& request,
                                      evapo::pipeline::ProgressSink& sink,
                                      const evapo::pipeline::RunControl& control) {
    if (request.latitude_deg == -89.5) std::abort();
    return calculation(request, sink, control);
  };
  if (role == "serve") return evapo::server::serve_until_signal(std::move(options));
  if (role == "worker") return evapo::server::work_until_signal(std::move(options));
  return 2;
}
