#include <unistd.h>

#include <evapo/ops/embedded_event_channel.hpp>
#include <evapo/ops/event_channel.hpp>
#include <evapo/ops/redis_event_channel.hpp>
#include <evapo/tasks/task_event.hpp>

namespace evapo::ops {

domain::Expected<OpsEventPtr> EventChannel::publish(EventType type, const nlohmann::json& data) {
  return publish_text(type, tasks::event_data_text(data));
}

domain::Expected<std::shared_ptr<EventChannel>> open_event_channel(const std::string& url,
                                                                   const std::string& node,
                                                                   BacklogLimits limits) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.starts_with("redis://")) {
    auto endpoint = tasks::parse_redis_url(url);
    if (!endpoint) return domain::fail(endpoint.error());
    auto channel = RedisEventChannel::open(
        *endpoint, RedisEventChannel::Options{.node = node, .limits = limits});
    if (!channel) return domain::fail(channel.error());
    return std::shared_ptr<EventChannel>(std::move(*channel));
  }
  if (!url.starts_with(kSqlite)) {
    return domain::fail(domain::Error::invalid_argument(
        "operations channel URL '" + url + "': expected sqlite://PATH or redis://HOST:PORT"));
  }
  auto db = storage::SqliteDatabase::open(url.substr(kSqlite.size()));
  if (!db) return domain::fail(db.error());
  auto channel = EmbeddedEventChannel::open(
      std::move(*db), EmbeddedEventChannel::Options{.node = node, .limits = limits});
  if (!channel) return domain::fail(channel.error());
  return std::shared_ptr<EventChannel>(std::move(*channel));
}

std::string host_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "evapo";
  return host;
}

std::string default_node_name() {
  return host_name() + "-" + std::to_string(::getpid());
}

}  // namespace evapo::ops
