#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sys/resource.h>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <evapo/datasets/dataset_calculation.hpp>
#include <evapo/domain/date.hpp>
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

void wait_for_signal(const char* what) {
  boost::asio::io_context signals_context;
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([what](const boost::system::error_code&, int signal_number) {
    spdlog::info("signal {}: {}", signal_number, what);
  });
  signals_context.run();
}

domain::Expected<std::unique_ptr<ops::Operations>> open_operations(const ServeOptions& options,
                                                                   const std::string& node) {
  const ServerConfig& config = options.config;
  return ops::Operations::open(
      {.channel_url = ops_channel_url(config),
       .priors_path = (std::filesystem::path(config.data_dir) / "ops.sqlite3").string(),
       .node = node,
       .data_dir = config.data_dir,
       .sources = options.sources});
}

}  // namespace

tasks::BackendSettings backend_settings(const ServerConfig& config) {
  tasks::BackendSettings settings;
  settings.database_url =
      config.database_url.empty()
          ? "sqlite://" + (std::filesystem::path(config.data_dir) / "evapo.sqlite3").string()
          : config.database_url;
  settings.queue_url = config.queue_url;
  return settings;
}

tasks::TaskServiceOptions task_service_options(const ServerConfig& config,
                                               tasks::CalculationFn calculation) {
  tasks::TaskServiceOptions options;
  options.workers = std::max(config.workers, 0);
  options.run_workers = config.workers != 0;
  options.task_timeout = std::chrono::seconds(config.task_timeout_s);
  options.lease = std::chrono::seconds(config.task_lease_s);
  options.calculation = std::move(calculation);
  return options;
}

std::string ops_channel_url(const ServerConfig& config) {
  if (config.queue_url.starts_with("redis://")) return config.queue_url;
  return "sqlite://" + (std::filesystem::path(config.data_dir) / "ops.sqlite3").string();
}

std::string workspace_store_url(const ServerConfig& config) {
  if (!config.workspace_store_url.empty()) return config.workspace_store_url;
  // A cluster's nodes share the database of its tasks.
  if (config.database_url.starts_with("postgresql://") ||
      config.database_url.starts_with("postgres://")) {
    return config.database_url;
  }
  return "sqlite://" + (std::filesystem::path(config.data_dir) / "workspaces.sqlite3").string();
}

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

  // Exit 2 for a configuration to correct (a bad URL, a server that cannot be reached or refuses
  // the credentials), 1 for a damaged store the operator must repair.
  auto backends = tasks::open_task_backends(backend_settings(config));
  if (!backends) {
    std::fprintf(stderr, "evapo serve: %s\n", backends.error().message.c_str());
    return backends.error().code == domain::ErrorCode::internal ? 1 : 2;
  }

  // A node keeps its name across restarts when it has a fixed port ("host:8000"), so a page
  // sees the same node come back rather than a new one.
  auto operations = open_operations(
      options, config.port != 0 ? ops::host_name() + ":" + std::to_string(config.port) : "");
  if (!operations) {
    std::fprintf(stderr, "evapo serve: cannot open the operations channel: %s\n",
                 operations.error().message.c_str());
    return operations.error().code == domain::ErrorCode::internal ? 1 : 2;
  }
  ops::Operations& ops = **operations;
  ops::NodeProbes probes;
  if (options.attach_operations) options.attach_operations(ops, probes);

  auto stores = storage::open_workspace_stores(workspace_store_url(config));
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

  const std::string description = backends->description;
  // A dataset's calculation compares with the public sources through the pipeline's own.
  auto task_options = task_service_options(
      config, datasets::route_calculations(
                  datasets::dataset_calculation(stores->datasets, options.calculation),
                  options.calculation));
  task_options.event_observer = [&ops](const tasks::TaskEvent& event) {
    ops.calculations().observe(event);
  };
  auto tasks = tasks::TaskService::open(std::move(task_options), std::move(*backends));
  if (!tasks) {
    std::fprintf(stderr, "evapo serve: %s\n", tasks.error().message.c_str());
    return tasks.error().code == domain::ErrorCode::internal ? 1 : 2;
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
  // Every worker of the deployment, from its heartbeats (this process's pool when embedded).
  probes.workers = [&task_service] {
    std::vector<ops::WorkerBeat> beats;
    auto workers = task_service.workers();
    if (!workers) return beats;
    for (const auto& worker : *workers) {
      const auto last = domain::parse_iso_utc_millis(worker.last_beat);
      beats.push_back({worker.id, worker.host, worker.concurrency,
                       static_cast<std::int64_t>(worker.running_tasks.size()),
                       last ? *last : std::chrono::system_clock::time_point{}});
    }
    return beats;
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
  spdlog::info("serving {} on {}:{} (tasks {}, web root {})", "evapo", config.host, *port,
               description, config.web_root.empty() ? "none" : config.web_root);

  wait_for_signal("shutting down");

  server.stop_accepting();
  scheduler.stop();
  (*tasks)->stop(std::chrono::seconds(config.shutdown_grace_s));
  ops.stop();
  server.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace evapo::server

namespace evapo::server {

int work_until_signal(ServeOptions options) {
  const ServerConfig& config = options.config;
  if (config.workers == 0) {
    std::fprintf(stderr, "evapo worker: the number of calculations at a time must be >= 1\n");
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  auto backends = tasks::open_task_backends(backend_settings(config));
  if (!backends) {
    std::fprintf(stderr, "evapo worker: %s\n", backends.error().message.c_str());
    return 2;
  }
  if (!backends->shared) {
    std::fprintf(stderr,
                 "evapo worker: EVAPO_QUEUE_URL must name the cluster's Redis "
                 "(redis://HOST:PORT[/DB]); without one, evapo serve runs its own workers\n");
    return 2;
  }
  const std::string description = backends->description;
  // The worker's calculations, its health and its figures go on the cluster's channel.
  auto operations = open_operations(options, "");
  if (!operations) {
    std::fprintf(stderr, "evapo worker: cannot open the operations channel: %s\n",
                 operations.error().message.c_str());
    return 2;
  }
  ops::Operations& ops = **operations;
  ops::NodeProbes probes;
  if (options.attach_operations) options.attach_operations(ops, probes);
  // A dataset's rows are read from the workspace store the serve nodes write.
  auto stores = storage::open_workspace_stores(workspace_store_url(config));
  if (!stores) {
    std::fprintf(stderr, "evapo worker: cannot open the workspace store: %s\n",
                 stores.error().message.c_str());
    return 2;
  }
  auto task_options = task_service_options(
      config, datasets::route_calculations(
                  datasets::dataset_calculation(stores->datasets, options.calculation),
                  options.calculation));
  task_options.event_observer = [&ops](const tasks::TaskEvent& event) {
    ops.calculations().observe(event);
  };
  auto service = tasks::TaskService::open(std::move(task_options), std::move(*backends));
  if (!service) {
    std::fprintf(stderr, "evapo worker: %s\n", service.error().message.c_str());
    return 2;
  }
  tasks::TaskService& task_service = **service;
  ops.calculations().set_task_lookup(
      [&task_service](const std::string& id) -> std::optional<tasks::TaskRecord> {
        auto record = task_service.get(id);
        return record ? *record : std::nullopt;
      });
  probes.task_counts = [&task_service] { return task_service.counts(); };
  ops.set_probes(probes);
  task_service.start();
  ops.start();
  const int concurrency = config.workers > 0
                              ? config.workers
                              : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  std::printf("evapo worker: %s running %d calculation(s) at a time from %s\n",
              task_service.instance_id().c_str(), concurrency, description.c_str());
  std::fflush(stdout);
  wait_for_signal("finishing or releasing running tasks");
  task_service.stop(std::chrono::seconds(config.shutdown_grace_s));
  ops.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace evapo::server
