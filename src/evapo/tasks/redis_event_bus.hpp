#pragma once

// EventBus for a cluster: events are appended to the durable TaskLog (PostgreSQL: seq assigned
// and "nothing after the terminal event" enforced there, in one transaction), then mirrored into
// the task's Redis stream by a Lua step that adds entry "<seq>-0" only above the last one and
// never after a terminal entry. Each node relays the streams of the tasks its clients watch
// through one blocking reader (redis_stream_reader.hpp), whatever the number of subscribers.
// A subscriber gets the log from `since` and then the live entries, with no gap and no
// duplicate: a hole in what the stream delivers (an append that lost a race, an entry Redis
// lost) is filled from the log, and a watched task quiet for a few seconds is checked against
// the log, so a Redis that restarts empty still lets every watcher reach the terminal event.

#include <memory>
#include <string>

#include <evapo/tasks/event_bus.hpp>
#include <evapo/tasks/redis_client.hpp>
#include <evapo/tasks/task_log.hpp>

namespace evapo::tasks {

class RedisEventBus final : public EventBus {
 public:
  /// `node_id` names this process's wake stream (unique per process).
  RedisEventBus(std::shared_ptr<TaskLog> log, std::shared_ptr<RedisClient> redis,
                std::string node_id);
  ~RedisEventBus() override;

  domain::Expected<std::optional<TaskEvent>> publish_text(const std::string& task_id,
                                                          EventType type,
                                                          std::string data_text) override;
  domain::Expected<Subscription> subscribe(const std::string& task_id, std::int64_t since_seq,
                                           EventHandler handler) override;
  std::int64_t subscriber_count() const override;

  /// Tasks whose stream this node reads now (for tests and metrics).
  std::size_t watched_streams() const;

  struct Core;

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace evapo::tasks
