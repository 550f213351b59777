#include <chrono>
#include <map>

#include <evapo/domain/date.hpp>
#include <evapo/ops/activity.hpp>
#include <evapo/ops/operations.hpp>

namespace evapo::ops {

using domain::Expected;
using domain::fail;

namespace {

constexpr int kOverviewActivities = 50;
// Two nodes' worth of 10 minutes of system_stats at one per 2 s.
constexpr int kStatsHistoryEvents = 600;
constexpr auto kStatsHistory = std::chrono::minutes(10);

}  // namespace

Operations::Operations(OperationsOptions options, std::shared_ptr<EventChannel> channel)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      health_(*channel_),
      calculations_(*channel_, volume_),
      sources_(options_.sources),
      monitor_(*channel_, health_, volume_, sources_, options_.data_dir, options_.periods) {
  sources_.set_on_change([this] { monitor_.wake(); });
  for (const auto& source : sources_.states()) {
    health_.set("source", source.source, source.state, "no_failures_seen");
  }
}

Expected<std::unique_ptr<Operations>> Operations::open(OperationsOptions options) {
  if (options.node.empty()) options.node = default_node_name();
  auto channel = open_event_channel(options.channel_url, options.node, options.backlog);
  if (!channel) return fail(channel.error());
  auto priors_db = storage::SqliteDatabase::open(options.priors_path);
  if (!priors_db) return fail(priors_db.error());
  std::unique_ptr<Operations> ops(new Operations(std::move(options), std::move(*channel)));
  auto priors = PriorsRegistry::open(std::move(*priors_db), *ops->channel_);
  if (!priors) return fail(priors.error());
  ops->priors_ = std::move(*priors);
  return ops;
}

Operations::~Operations() {
  stop();
}

void Operations::start() {
  if (started_) return;
  started_ = true;
  monitor_.start();
  publish_activity(*channel_, "node", "started", channel_->node());
}

void Operations::stop() {
  if (!started_) return;
  started_ = false;
  publish_activity(*channel_, "node", "stopping", channel_->node());
  monitor_.stop();
}

Expected<nlohmann::json> Operations::overview() {
  const std::int64_t seq = channel_->head_seq();
  monitor_.flush_source_changes();
  monitor_.probe_health();
  const std::string& node = channel_->node();
  nlohmann::json out{
      {"seq", seq},
      {"generated_at", domain::format_iso_utc_millis(std::chrono::system_clock::now())},
      {"node", node}};

  // Each node's latest stats and last 10 minutes; this node's measured now.
  std::map<std::string, nlohmann::json> nodes;
  nodes[node] = {
      {"node", node}, {"stats", monitor_.current_stats()}, {"history", nlohmann::json::array()}};
  const std::string cutoff =
      domain::format_iso_utc_millis(std::chrono::system_clock::now() - kStatsHistory);
  auto stats = channel_->recent(TopicSet().add(Topic::system), kStatsHistoryEvents);
  if (!stats) return fail(stats.error());
  for (const auto& event : *stats) {
    if (event->ts < cutoff || event->type != to_string(EventType::system_stats)) continue;
    auto data = event->data();
    auto& entry = nodes[event->node];
    if (entry.is_null()) entry = {{"node", event->node}, {"history", nlohmann::json::array()}};
    if (event->node != node) entry["stats"] = data;
    entry["history"].push_back({{"ts", event->ts},
                                {"process_cpu_pct", data.value("process_cpu_pct", 0.0)},
                                {"machine_cpu_pct", data.value("machine_cpu_pct", 0.0)},
                                {"rss_bytes", data.value("rss_bytes", 0)},
                                {"memory_available_bytes", data.value("memory_available_bytes", 0)},
                                {"disk_free_bytes", data.value("disk_free_bytes", 0)}});
  }
  out["nodes"] = nlohmann::json::array();
  for (auto& [name, entry] : nodes) out["nodes"].push_back(std::move(entry));

  out["health"] = nlohmann::json::array();
  for (const auto& component : health_.snapshot()) out["health"].push_back(to_json(component));
  out["sources"] = monitor_.source_statuses();

  out["activity"] = nlohmann::json::array();
  auto activity = channel_->recent(TopicSet().add(Topic::activity), kOverviewActivities);
  if (!activity) return fail(activity.error());
  for (const auto& event : *activity)
    out["activity"].push_back(nlohmann::json::parse(*event->wire));

  nlohmann::json volume = volume_.snapshot();
  volume["node"] = node;
  out["volume"] = nlohmann::json::array({volume});
  auto others = channel_->recent(TopicSet().add(Topic::calculations), kStatsHistoryEvents);
  if (others) {
    std::map<std::string, nlohmann::json> latest;
    for (const auto& event : *others) {
      if (event->node == node || event->type != to_string(EventType::calculation_volume)) continue;
      auto data = event->data();
      data["node"] = event->node;
      latest[event->node] = std::move(data);
    }
    for (auto& [name, data] : latest) out["volume"].push_back(std::move(data));
  }

  auto priors = priors_->state();
  if (!priors) return fail(priors.error());
  out["priors"] = std::move(*priors);
  return out;
}

}  // namespace evapo::ops
