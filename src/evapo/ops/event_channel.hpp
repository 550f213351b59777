#pragma once

// The operations channel: one durable, bounded log of operations events (topics and events of
// docs/ops_event_catalog.json) with a seq per channel, and live fan-out to subscribers. The same
// shape as the task EventBus (tasks/event_bus.hpp): publish appends to the backlog, then
// delivers; subscribe replays from `since`, then delivers live events, in seq order with no gap
// and no duplicate. Backends, chosen by URL (open_event_channel):
//   sqlite://PATH  embedded: the backlog persisted in SQLite, fan-out in this process
//                  (embedded_event_channel.hpp)
//   redis://...    distributed: one stream for every node, read by one reader per node into
//                  the same in-memory fan-out (redis_event_channel.hpp)

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/ops/ops_event.hpp>
#include <evapo/tasks/subscription.hpp>

namespace evapo::ops {

/// Called with one or more consecutive events of the subscribed topics, in seq order, on the
/// channel's delivery thread (or the subscribing thread for the replay). Must not block: hand
/// them to your own executor (the server posts to the connection's strand).
using OpsEventHandler = std::function<void(const std::vector<OpsEventPtr>& events)>;

class EventChannel {
 public:
  virtual ~EventChannel() = default;

  /// Appends an event of `type` (on the catalog's topic for it) whose data is the JSON object
  /// text `data_text` to the backlog, durably, then delivers it. Thread-safe; never blocks on
  /// subscribers. Errors: unavailable / internal from the backend (nothing delivered).
  virtual domain::Expected<OpsEventPtr> publish_text(EventType type, std::string data_text) = 0;

  /// publish_text of `data` serialised.
  domain::Expected<OpsEventPtr> publish(EventType type, const nlohmann::json& data);

  /// Delivers the events of `topics` with seq > `since_seq` still in the backlog, then the live
  /// ones, until the Subscription is reset. Without `since_seq`, only events published from now
  /// on. When events after `since_seq` are no longer kept (or `since_seq` is ahead of the
  /// channel) the first event delivered is a "reset" control message (make_reset_event) and
  /// delivery continues after the channel's head. Errors: unavailable from the backend.
  virtual domain::Expected<tasks::Subscription> subscribe(TopicSet topics,
                                                          std::optional<std::int64_t> since_seq,
                                                          OpsEventHandler handler) = 0;

  /// The newest `limit` events of `topics` still in the backlog, oldest first (snapshots: the
  /// last activities, the recent stats).
  virtual domain::Expected<std::vector<OpsEventPtr>> recent(TopicSet topics, int limit) = 0;

  /// The seq of the last event published (0 for a new channel): a snapshot taken now is
  /// continued gap-free by subscribing with since = this.
  virtual std::int64_t head_seq() const = 0;

  /// Live subscriptions (periodic publishers run only while there is one).
  virtual std::int64_t subscriber_count() const = 0;

  /// The name this process publishes under ("host-pid").
  virtual const std::string& node() const = 0;
};

/// Bounds of the backlog: the last `max_events` events or those of the last `max_age`,
/// whichever is fewer.
struct BacklogLimits {
  std::size_t max_events = 10'000;
  std::chrono::seconds max_age{24 * 3600};
};

/// Opens the channel named by `url` ("sqlite:///data/ops.sqlite3", "redis://host:6379/0"),
/// publishing as `node`.
/// Errors: invalid_argument naming the URL for an unknown scheme; unavailable when it cannot be
/// opened.
domain::Expected<std::shared_ptr<EventChannel>> open_event_channel(const std::string& url,
                                                                   const std::string& node,
                                                                   BacklogLimits limits = {});

/// "<host name>-<pid>": the default name of this process in events.
std::string default_node_name();

/// This machine's host name.
std::string host_name();

}  // namespace evapo::ops
