#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <evapo/server/metrics.hpp>
#include <evapo/server/serve.hpp>
#include <evapo/server/server.hpp>
#include <evapo/server/task_capability.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace {

// Each WebSocket holds a descriptor; the default soft limit (1024) is far below what we serve.
// As root the hard limit may be raised too; otherwise the soft limit goes up to the hard one.
void raise_file_limit() {
  constexpr rlim_t kWanted = 1 << 17;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= kWanted) return;
  rlimit wanted{kWanted, std::max(kWanted, limit.rlim_max)};
  if (setrlimit(RLIMIT_NOFILE, &wanted) == 0) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

int serve_until_signal(ServeOptions options) {
  raise_file_limit();
  const ServerConfig& config = options.config;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    std::fprintf(stderr, "evapo serve: cannot create data dir '%s': %s\n", config.data_dir.c_str(),
                 ec.message().c_str());
    return 1;
  }

  ServerConfig server_config = config;
  if (server_config.task_token_key.empty()) {
    auto key = load_or_create_task_key(config.data_dir);
    if (!key) {
      std::fprintf(stderr, "evapo serve: %s\n", key.error().message.c_str());
      return 1;
    }
    server_config.task_token_key = std::move(*key);
  }

  tasks::TaskServiceOptions task_options;
  task_options.database_path = (std::filesystem::path(config.data_dir) / "evapo.sqlite3").string();
  task_options.workers = config.workers;
  task_options.task_timeout = std::chrono::seconds(config.task_timeout_s);
  task_options.calculation = std::move(options.calculation);
  auto tasks = tasks::TaskService::open(std::move(task_options));
  if (!tasks) {
    std::fprintf(stderr, "evapo serve: cannot open the task store: %s\n",
                 tasks.error().message.c_str());
    return 1;
  }

  Server server(server_config, **tasks, std::move(options.services));
  if (options.add_metrics) options.add_metrics(server.metrics());
  auto port = server.start();
  if (!port) {
    std::fprintf(stderr, "evapo serve: %s\n", port.error().message.c_str());
    return port.error().code == domain::ErrorCode::invalid_argument ? 2 : 1;
  }
  (*tasks)->start();
  std::printf("evapo serve: listening on http://%s:%u\n", config.host.c_str(),
              static_cast<unsigned>(*port));
  std::fflush(stdout);
  spdlog::info("serving {} on {}:{} (data dir {}, web root {})", "evapo", config.host, *port,
               config.data_dir, config.web_root.empty() ? "none" : config.web_root);

  boost::asio::io_context signals_context;
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int signal_number) {
    spdlog::info("signal {}: shutting down", signal_number);
  });
  signals_context.run();

  server.stop_accepting();
  (*tasks)->stop(std::chrono::seconds(config.shutdown_grace_s));
  server.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace evapo::server
