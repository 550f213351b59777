#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sys/resource.h>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <evapo/datasets/dataset_calculation.hpp>
#include <evapo/ops/operations.hpp>
#include <evapo/server/metrics.hpp>
#include <evapo/server/serve.hpp>
#include <evapo/server/server.hpp>
#include <evapo/server/task_capability.hpp>
#include <evapo/server/workspace_services.hpp>
#include <evapo/sites/site_scheduler.hpp>
#include <evapo/storage/workspace_stores.hpp>
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

  const auto ops_path = (std::filesystem::path(config.data_dir) / "ops.sqlite3").string();
  // A node keeps its name across restarts when it has a fixed port ("host:8000"), so a page
  // sees the same node come back rather than a new one.
  auto operations = ops::Operations::open(
      {.channel_url = "sqlite://" + ops_path,
       .priors_path = ops_path,
       .node = config.port != 0 ? ops::host_name() + ":" + std::to_string(config.port) : "",
       .data_dir = config.data_dir,
       .sources = options.sources});
  if (!operations) {
    std::fprintf(stderr, "evapo serve: cannot open the operations channel: %s\n",
                 operations.error().message.c_str());
    return 1;
  }
  ops::Operations& ops = **operations;
  ops::NodeProbes probes;
  if (options.attach_operations) options.attach_operations(ops, probes);

  const std::string stores_url =
      config.workspace_store_url.empty()
          ? "sqlite://" + (std::filesystem::path(config.data_dir) / "workspaces.sqlite3").string()
          : config.workspace_store_url;
  auto stores = storage::open_workspace_stores(stores_url);
  if (!stores) {
    std::fprintf(stderr, "evapo serve: cannot open the workspace store: %s\n",
                 stores.error().message.c_str());
    return 1;
  }
  WorkspaceServices workspaces{
      .stores = *stores,
      .access = std::make_shared<WorkspaceAccess>(stores->workspaces, config.admin_token),
      .channel = &ops.channel()};

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
  // A dataset's calculation compares with the public sources through the pipeline's own.
  task_options.calculation = datasets::route_calculations(
      datasets::dataset_calculation(stores->datasets, options.calculation), options.calculation);
  task_options.event_observer = [&ops](const tasks::TaskEvent& event) {
    ops.calculations().observe(event);
  };
  const int workers = task_options.workers > 0
                          ? task_options.workers
                          : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  auto tasks = tasks::TaskService::open(std::move(task_options));
  if (!tasks) {
    std::fprintf(stderr, "evapo serve: cannot open the task store: %s\n",
                 tasks.error().message.c_str());
    return 1;
  }
  tasks::TaskService& task_service = **tasks;
  ops.calculations().set_task_lookup(
      [&task_service](const std::string& id) -> std::optional<tasks::TaskRecord> {
        auto record = task_service.get(id);
        return record ? *record : std::nullopt;
      });

  options.services.operations = &ops;
  options.services.workspaces = &workspaces;
  Server server(server_config, task_service, std::move(options.services));
  sites::SchedulerOptions scheduler_options;
  scheduler_options.node = ops.channel().node();
  scheduler_options.period = std::chrono::seconds(std::max(1, config.site_scheduler_period_s));
  sites::SiteScheduler scheduler(
      stores->sites,
      {.submit = [&task_service](
                     const pipeline::CalculationRequest& request) -> domain::Expected<std::string> {
         auto record = task_service.submit(request);
         if (!record) return domain::fail(record.error());
         return record->id;
       },
       .get = [&task_service](const std::string& id) { return task_service.get(id); }},
      std::move(scheduler_options));
  if (options.add_metrics) options.add_metrics(server.metrics());
  probes.task_counts = [&task_service] { return task_service.counts(); };
  probes.connections = [&server] {
    return ops::ConnectionCounts{server.metrics().websocket_connections(),
                                 server.metrics().sse_connections(),
                                 server.metrics().requests_total()};
  };
  // The embedded workers are threads of this process: they beat with it. (In the distributed
  // mode the workers' own heartbeats take this place.)
  probes.workers = [&ops, &task_service, workers] {
    const auto counts = task_service.counts();
    return std::vector<ops::WorkerBeat>{{ops.channel().node(), ops::host_name(), workers,
                                         counts ? counts->running : 0,
                                         std::chrono::system_clock::now()}};
  };
  ops.set_probes(probes);
  auto port = server.start();
  if (!port) {
    std::fprintf(stderr, "evapo serve: %s\n", port.error().message.c_str());
    return port.error().code == domain::ErrorCode::invalid_argument ? 2 : 1;
  }
  (*tasks)->start();
  ops.start();
  if (config.site_scheduler_period_s > 0) scheduler.start();
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
  scheduler.stop();
  (*tasks)->stop(std::chrono::seconds(config.shutdown_grace_s));
  ops.stop();
  server.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace evapo::server
