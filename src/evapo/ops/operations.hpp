#pragma once

// Everything the operations dashboard is made of, for one node, built in one place: the channel
// (event_channel.hpp), the publishers (calculations, health, sources, system, volume, priors)
// and the overview snapshot a page loads before it subscribes. `evapo serve` opens it before
// the task service (which reports to calculations()) and the server (which serves it).

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/ops/calculation_publisher.hpp>
#include <evapo/ops/calculation_volume.hpp>
#include <evapo/ops/event_channel.hpp>
#include <evapo/ops/health_board.hpp>
#include <evapo/ops/node_probes.hpp>
#include <evapo/ops/ops_monitor.hpp>
#include <evapo/ops/priors_registry.hpp>
#include <evapo/ops/source_monitor.hpp>

namespace evapo::ops {

struct OperationsOptions {
  /// The channel's backend ("sqlite:///data/ops.sqlite3"; see open_event_channel).
  std::string channel_url{};
  /// SQLite file of the fusion priors versions.
  std::string priors_path{};
  /// This process's name in events (a node's id: "host:port" for a server); empty:
  /// default_node_name().
  std::string node{};
  /// The data folder (its file system's free space is reported).
  std::string data_dir{};
  /// The weather sources and whether each is enabled.
  std::map<std::string, bool> sources{};
  BacklogLimits backlog{};
  MonitorPeriods periods{};
};

class Operations {
 public:
  /// Errors: from opening the channel or the priors store.
  static domain::Expected<std::unique_ptr<Operations>> open(OperationsOptions options);
  ~Operations();  // stop()

  EventChannel& channel() { return *channel_; }
  CalculationPublisher& calculations() { return calculations_; }
  PriorsRegistry& priors() { return *priors_; }
  HealthBoard& health() { return health_; }
  SourceMonitor& sources() { return sources_; }
  CalculationVolume& volume() { return volume_; }
  OpsMonitor& monitor() { return monitor_; }

  /// Before start(): what the monitor reads from the task service, the server and the HTTP layer.
  void set_probes(NodeProbes probes) { monitor_.set_probes(std::move(probes)); }

  /// Starts the monitor thread and announces the node (activity "node started").
  void start();
  /// Announces the node stopping and stops the monitor.
  void stop();

  /// GET /api/v1/ops/overview: {"seq","generated_at","node","nodes":[{node,stats,history}],
  /// "health":[...],"sources":[...],"activity":[envelope...],"volume":[{node,minute,hour}],
  /// "priors":{...}}. Subscribing with since = seq continues it without a gap.
  domain::Expected<nlohmann::json> overview();

 private:
  explicit Operations(OperationsOptions options, std::shared_ptr<EventChannel> channel);

  OperationsOptions options_;
  std::shared_ptr<EventChannel> channel_;
  HealthBoard health_;
  CalculationVolume volume_;
  CalculationPublisher calculations_;
  SourceMonitor sources_;
  OpsMonitor monitor_;
  std::unique_ptr<PriorsRegistry> priors_;
  bool started_ = false;
};

}  // namespace evapo::ops
