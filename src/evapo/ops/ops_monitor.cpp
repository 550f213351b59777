#include <pthread.h>
#include <thread>

#include <spdlog/spdlog.h>

#include <evapo/domain/date.hpp>
#include <evapo/ops/ops_monitor.hpp>

namespace evapo::ops {

using std::chrono::steady_clock;

OpsMonitor::OpsMonitor(EventChannel& channel, HealthBoard& health, CalculationVolume& volume,
                       SourceMonitor& sources, std::string data_dir, MonitorPeriods periods)
    : channel_(channel),
      health_(health),
      volume_(volume),
      sources_(sources),
      periods_(periods),
      sampler_(std::move(data_dir)),
      last_rates_at_(steady_clock::now()) {}

OpsMonitor::~OpsMonitor() {
  stop();
}

void OpsMonitor::set_probes(NodeProbes probes) {
  probes_ = std::move(probes);
  if (probes_.upstream_totals) {
    for (const auto& [tag, count] : probes_.upstream_totals())
      last_upstream_requests_ += count.requests;
  }
  if (probes_.connections) last_http_requests_ = probes_.connections().http_requests_total;
}

void OpsMonitor::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "evapo-ops");
    // No exception may end the serving process: the loop is logged and started again.
    for (;;) {
      try {
        loop();
        return;
      } catch (const std::exception& error) {
        spdlog::error("ops monitor: unexpected exception: {}", error.what());
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
    }
  });
}

void OpsMonitor::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OpsMonitor::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void OpsMonitor::flush_source_changes() {
  for (const auto& change : sources_.take_changes()) {
    const char* reason = change.attempts == 0              ? "no_failures_seen"
                         : change.state == Health::healthy ? "recovered"
                                                           : "failed_share";
    health_.set("source", change.source, change.state, reason,
                {{"failed_share", change.failed_share}, {"attempts", change.attempts}});
  }
}

nlohmann::json OpsMonitor::sample_stats() {
  auto sample = sampler_.sample();
  nlohmann::json data = sample ? to_json(*sample) : nlohmann::json::object();
  if (!sample) data["error"] = sample.error().message;
  const auto now = steady_clock::now();
  const double elapsed_s = std::chrono::duration<double>(now - last_rates_at_).count();
  last_rates_at_ = now;
  data["queue_depth"] = nullptr;
  data["running_tasks"] = nullptr;
  if (probes_.task_counts) {
    if (auto counts = probes_.task_counts()) {
      data["queue_depth"] = counts->queue_depth;
      data["running_tasks"] = counts->running;
      data["task_subscribers"] = counts->subscribers;
    }
  }
  data["websocket_connections"] = 0;
  data["sse_connections"] = 0;
  data["http_requests_per_s"] = 0.0;
  if (probes_.connections) {
    const auto connections = probes_.connections();
    data["websocket_connections"] = connections.websockets;
    data["sse_connections"] = connections.sse;
    if (elapsed_s > 0.0) {
      data["http_requests_per_s"] =
          static_cast<double>(connections.http_requests_total - last_http_requests_) / elapsed_s;
    }
    last_http_requests_ = connections.http_requests_total;
  }
  data["ops_subscribers"] = channel_.subscriber_count();
  data["upstream_requests_per_s"] = 0.0;
  if (probes_.upstream_totals) {
    std::uint64_t requests = 0;
    for (const auto& [tag, count] : probes_.upstream_totals()) requests += count.requests;
    if (elapsed_s > 0.0) {
      data["upstream_requests_per_s"] =
          static_cast<double>(requests - last_upstream_requests_) / elapsed_s;
    }
    last_upstream_requests_ = requests;
  }
  data["interval_s"] = elapsed_s;
  return data;
}

nlohmann::json OpsMonitor::current_stats() {
  std::lock_guard lock(sample_mutex_);
  if (last_stats_ && steady_clock::now() - last_stats_at_ < periods_.stats) return *last_stats_;
  last_stats_ = sample_stats();
  last_stats_at_ = steady_clock::now();
  return *last_stats_;
}

void OpsMonitor::probe_health() {
  if (probes_.task_counts) {
    const auto started = steady_clock::now();
    auto counts = probes_.task_counts();
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - started);
    const Health store = store_health(counts.has_value(), took);
    health_.set("store", "tasks", store,
                counts ? (store == Health::healthy ? "ok" : "slow") : "unreachable",
                {{"latency_ms", took.count()}});
    std::optional<std::int64_t> depth;
    if (counts) depth = counts->queue_depth;
    const Health queue = queue_health(depth);
    health_.set("queue", "tasks", queue,
                !depth ? "unreachable" : (queue == Health::healthy ? "ok" : "backlog"),
                {{"depth", depth ? nlohmann::json(*depth) : nlohmann::json(nullptr)}});
  }
  if (probes_.workers) {
    const auto now = std::chrono::system_clock::now();
    std::lock_guard lock(worker_mutex_);
    for (auto& beat : probes_.workers()) known_workers_[beat.id] = beat;
    for (const auto& [id, beat] : known_workers_) {
      const Health state = worker_health(beat.last_beat, now, probes_.heartbeat_period);
      health_.set("worker", id, state, state == Health::healthy ? "ok" : "silent",
                  {{"host", beat.host},
                   {"concurrency", beat.concurrency},
                   {"running", beat.running},
                   {"last_beat", domain::format_iso_utc_millis(beat.last_beat)}});
    }
  }
}

std::vector<nlohmann::json> OpsMonitor::source_statuses() {
  const auto window = probes_.upstream_window ? probes_.upstream_window()
                                              : std::map<std::string, sources::UpstreamWindow>{};
  const auto totals =
      probes_.upstream_totals ? probes_.upstream_totals() : sources::UpstreamCountersSnapshot{};
  return sources_.statuses(window, totals);
}

void OpsMonitor::loop() {
  auto next_stats = steady_clock::now();
  auto next_volume = next_stats;
  auto next_sources = next_stats;
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, periods_.tick, [&] { return stop_ || woken_; });
    if (stop_) break;
    woken_ = false;
    lock.unlock();
    flush_source_changes();
    if (channel_.subscriber_count() > 0) {
      const auto now = steady_clock::now();
      probe_health();
      if (now >= next_stats) {
        next_stats = now + periods_.stats;
        nlohmann::json stats;
        {
          std::lock_guard sample_lock(sample_mutex_);
          last_stats_ = sample_stats();
          last_stats_at_ = now;
          stats = *last_stats_;
        }
        if (auto published = channel_.publish(EventType::system_stats, stats); !published) {
          spdlog::warn("ops: system_stats not published: {}", published.error().message);
        }
      }
      if (now >= next_volume) {
        next_volume = now + periods_.volume;
        if (auto published = channel_.publish(EventType::calculation_volume, volume_.snapshot());
            !published) {
          spdlog::warn("ops: calculation_volume not published: {}", published.error().message);
        }
      }
      if (now >= next_sources) {
        next_sources = now + periods_.sources;
        for (const auto& status : source_statuses()) {
          if (auto published = channel_.publish(EventType::source_status, status); !published) {
            spdlog::warn("ops: source_status not published: {}", published.error().message);
          }
        }
      }
    } else {
      // Nobody watches: the next subscriber gets fresh figures at once.
      next_stats = next_volume = next_sources = steady_clock::now();
    }
    lock.lock();
  }
}

}  // namespace evapo::ops
