#pragma once

// Publish / subscribe over the durable task log. A subscriber first receives every stored event
// after `since_seq`, then the live ones, in seq order with no gap and no duplicate, even when
// events are published while the replay runs (Redis backend: XRANGE then XREAD BLOCK from the
// last id delivered).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/tasks/subscription.hpp>
#include <evapo/tasks/task_event.hpp>

namespace evapo::tasks {

/// Called once per event, in seq order, on the publishing (or subscribing) thread. Must not
/// block: hand the event to your own executor (the server posts it to the connection's strand).
using EventHandler = std::function<void(const TaskEvent&)>;

class EventBus {
 public:
  virtual ~EventBus() = default;

  /// Appends the event, whose data is serialised as `data_text` (event_data_text), to the task's
  /// log (see TaskLog::append_text) and delivers it to the live subscribers. nullopt when the
  /// task had already ended (nothing published).
  virtual domain::Expected<std::optional<TaskEvent>> publish_text(const std::string& task_id,
                                                                  EventType type,
                                                                  std::string data_text) = 0;

  /// publish_text of `data` serialised.
  domain::Expected<std::optional<TaskEvent>> publish(const std::string& task_id, EventType type,
                                                     const nlohmann::json& data) {
    return publish_text(task_id, type, event_data_text(data));
  }

  /// Replays stored events with seq > since_seq, then delivers live ones until the Subscription
  /// is reset. When the replay already ends with the terminal event, nothing more will come.
  /// Errors: not_found for an unknown task; unavailable / internal from the backend.
  virtual domain::Expected<Subscription> subscribe(const std::string& task_id,
                                                   std::int64_t since_seq,
                                                   EventHandler handler) = 0;

  /// Number of live subscriptions (for metrics).
  virtual std::int64_t subscriber_count() const = 0;
};

}  // namespace evapo::tasks
