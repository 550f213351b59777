#pragma once

// In-process EventBus over a durable TaskLog. One channel per task with a lock: publish holds it
// across "append to the log + deliver", subscribe holds it across "read the log + register", so a
// subscriber sees every event exactly once, in seq order, however the two interleave.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <evapo/tasks/event_bus.hpp>
#include <evapo/tasks/task_log.hpp>

namespace evapo::tasks {

class LocalEventBus final : public EventBus {
 public:
  /// `log` must outlive the bus.
  explicit LocalEventBus(TaskLog& log) : log_(log) {}
  ~LocalEventBus() override;

  domain::Expected<std::optional<TaskEvent>> publish_text(const std::string& task_id,
                                                          EventType type,
                                                          std::string data_text) override;
  domain::Expected<Subscription> subscribe(const std::string& task_id, std::int64_t since_seq,
                                           EventHandler handler) override;
  std::int64_t subscriber_count() const override { return subscribers_->load(); }

  /// Channels currently held in memory (tasks not yet finished or still watched); for tests.
  std::size_t channel_count() const;

 private:
  struct Channel;
  struct Slot;
  std::shared_ptr<Channel> channel_for(const std::string& task_id);
  void forget(const std::string& task_id, const std::shared_ptr<Channel>& channel);

  TaskLog& log_;
  mutable std::mutex channels_mutex_;
  std::unordered_map<std::string, std::shared_ptr<Channel>> channels_;
  // Shared with Subscriptions, which may outlive the bus.
  std::shared_ptr<std::atomic<std::int64_t>> subscribers_ =
      std::make_shared<std::atomic<std::int64_t>>(0);
};

}  // namespace evapo::tasks
