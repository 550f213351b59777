#include <spdlog/spdlog.h>

#include <evapo/ops/activity.hpp>

namespace evapo::ops {

nlohmann::json activity_data(std::string_view kind, std::string_view action,
                             std::string_view subject, nlohmann::json params) {
  return {{"kind", kind}, {"action", action}, {"subject", subject}, {"params", std::move(params)}};
}

void publish_activity(EventChannel& channel, std::string_view kind, std::string_view action,
                      std::string_view subject, nlohmann::json params) {
  auto published =
      channel.publish(EventType::activity, activity_data(kind, action, subject, std::move(params)));
  if (!published) {
    spdlog::warn("ops: activity {} {} not published: {}", kind, action, published.error().message);
  }
}

}  // namespace evapo::ops
