#pragma once

// The operations monitor of one node: a thread that, while anyone subscribes to the channel,
// publishes system_stats every 2 s and calculation_volume and source_status every 10 s, probes
// the task store, the queue and the workers for the health board each second, and at any time
// publishes the health changes of weather sources as they are observed. With no subscriber it
// wakes once a second to look (a few microseconds) and measures nothing.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include <evapo/ops/calculation_volume.hpp>
#include <evapo/ops/event_channel.hpp>
#include <evapo/ops/health_board.hpp>
#include <evapo/ops/node_probes.hpp>
#include <evapo/ops/source_monitor.hpp>
#include <evapo/ops/system_sampler.hpp>

namespace evapo::ops {

struct MonitorPeriods {
  std::chrono::milliseconds tick{1000};
  std::chrono::milliseconds stats{2000};
  std::chrono::milliseconds volume{10000};
  std::chrono::milliseconds sources{10000};
};

class OpsMonitor {
 public:
  OpsMonitor(EventChannel& channel, HealthBoard& health, CalculationVolume& volume,
             SourceMonitor& sources, std::string data_dir, MonitorPeriods periods = {});
  ~OpsMonitor();  // stop()

  /// Must be set before start().
  void set_probes(NodeProbes probes);

  void start();
  void stop();

  /// Wakes the thread (a source's health changed).
  void wake();

  /// system_stats data of this node now (a fresh sample when the last is older than the stats
  /// period).
  nlohmann::json current_stats();

  /// Probes store, queue and workers and publishes their health changes now.
  void probe_health();

  /// Publishes pending source health changes now.
  void flush_source_changes();

  /// source_status data of every source now.
  std::vector<nlohmann::json> source_statuses();

 private:
  void loop();
  nlohmann::json sample_stats();

  EventChannel& channel_;
  HealthBoard& health_;
  CalculationVolume& volume_;
  SourceMonitor& sources_;
  MonitorPeriods periods_;
  NodeProbes probes_;

  std::mutex sample_mutex_;
  SystemSampler sampler_;
  std::optional<nlohmann::json> last_stats_;
  std::chrono::steady_clock::time_point last_stats_at_;
  std::chrono::steady_clock::time_point last_rates_at_;
  std::uint64_t last_upstream_requests_ = 0;
  std::uint64_t last_http_requests_ = 0;

  std::mutex worker_mutex_;
  std::map<std::string, WorkerBeat> known_workers_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace evapo::ops
