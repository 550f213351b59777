#include <chrono>

#include <spdlog/spdlog.h>

#include <evapo/domain/date.hpp>
#include <evapo/ops/activity.hpp>
#include <evapo/ops/health_board.hpp>

namespace evapo::ops {

nlohmann::json to_json(const ComponentHealth& health) {
  return {{"kind", health.kind},   {"name", health.name},     {"state", to_string(health.state)},
          {"since", health.since}, {"reason", health.reason}, {"detail", health.detail}};
}

void HealthBoard::set(const std::string& kind, const std::string& name, Health state,
                      std::string reason, nlohmann::json detail) {
  std::lock_guard lock(mutex_);
  const auto key = std::make_pair(kind, name);
  auto found = components_.find(key);
  const bool known = found != components_.end();
  if (known && found->second.state == state) {
    found->second.reason = std::move(reason);
    found->second.detail = std::move(detail);
    return;
  }
  const std::string now = domain::format_iso_utc_millis(std::chrono::system_clock::now());
  ComponentHealth next{kind, name, state, now, std::move(reason), std::move(detail)};
  nlohmann::json previous = known ? nlohmann::json(to_string(found->second.state)) : nullptr;
  components_[key] = next;
  if (!known && state == Health::healthy) return;
  // Published under the lock so that two changes of one component go out in order.
  auto data = to_json(next);
  data["previous"] = previous;
  if (auto published = channel_.publish(EventType::health_change, data); !published) {
    spdlog::warn("ops: health_change of {} {} not published: {}", kind, name,
                 published.error().message);
  }
  publish_activity(channel_, "health", to_string(state), kind + ":" + name,
                   {{"reason", next.reason}, {"previous", previous}, {"detail", next.detail}});
}

void HealthBoard::remove(const std::string& kind, const std::string& name) {
  std::lock_guard lock(mutex_);
  components_.erase({kind, name});
}

std::vector<ComponentHealth> HealthBoard::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<ComponentHealth> out;
  out.reserve(components_.size());
  for (const auto& [key, health] : components_) out.push_back(health);
  return out;
}

}  // namespace evapo::ops
