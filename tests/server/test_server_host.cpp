// `evapo serve` with the fake calculation instead of the pipeline: what the restart and shutdown
// tests start as a separate process so that they can signal it mid-task. Usage:
//   evapo_server_test_host DATA_DIR STEP_DELAY_MS [SHUTDOWN_GRACE_S]   (grace default 0)
// Prints "evapo serve: listening on http://127.0.0.1:PORT" like the real command.

#include <cstdlib>
#include <string>

#include <evapo/server/serve.hpp>

#include "fake_calculation.hpp"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) return 2;
  auto fake = std::make_shared<evapo::server::testing::FakeControl>();
  fake->step_delay_ms = std::atoi(argv[2]);
  evapo::server::ServeOptions options;
  options.config.port = 0;
  options.config.data_dir = argv[1];
  options.config.workers = 1;
  options.config.shutdown_grace_s = argc == 4 ? std::atoi(argv[3]) : 0;
  options.calculation = evapo::server::testing::fake_calculation(fake);
  return evapo::server::serve_until_signal(std::move(options));
}
