#pragma once

// The current health of every component (the task store, the queue, each weather source, each
// worker), with since when; a change publishes health_change and an activity item.

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <evapo/ops/event_channel.hpp>
#include <evapo/ops/health.hpp>

namespace evapo::ops {

/// One component's state as the dashboard shows it.
struct ComponentHealth {
  std::string kind;  // "store", "queue", "source", "worker"
  std::string name;  // e.g. "nasa_power", a worker id
  Health state = Health::healthy;
  std::string since;   // ISO-8601 UTC: when it entered this state (or was first seen)
  std::string reason;  // a stable code: "ok", "failed_share", "silent", "unreachable", ...
  nlohmann::json detail = nlohmann::json::object();  // the figures behind the reason
};

/// health_change data / overview item: {"kind","name","state","previous","since","reason",
/// "detail"} ("previous" null for a component first seen unhealthy).
nlohmann::json to_json(const ComponentHealth& health);

/// Thread-safe.
class HealthBoard {
 public:
  explicit HealthBoard(EventChannel& channel) : channel_(channel) {}

  /// Records the state of (kind, name). A component first seen healthy just appears; any other
  /// change (or a new component seen unhealthy) publishes health_change and an activity item.
  /// `reason` and `detail` are updated in place while the state stays.
  void set(const std::string& kind, const std::string& name, Health state, std::string reason,
           nlohmann::json detail = nlohmann::json::object());

  /// Forgets a component (a worker that stopped cleanly).
  void remove(const std::string& kind, const std::string& name);

  /// Every component, by kind then name.
  std::vector<ComponentHealth> snapshot() const;

 private:
  EventChannel& channel_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, ComponentHealth> components_;
};

}  // namespace evapo::ops
