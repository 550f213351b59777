#pragma once

// An EventBus that tells an observer about every event it stores, after storing and delivering
// it: how the operations channel learns about calculations (ops/calculation_publisher.hpp)
// whatever backend the bus runs on.

#include <memory>

#include <evapo/tasks/event_bus.hpp>

namespace evapo::tasks {

class ObservedEventBus final : public EventBus {
 public:
  /// `observer` runs on the publishing thread after each event `inner` stored; it must not block
  /// long and must not publish to this bus.
  ObservedEventBus(std::shared_ptr<EventBus> inner, EventHandler observer)
      : inner_(std::move(inner)), observer_(std::move(observer)) {}

  domain::Expected<std::optional<TaskEvent>> publish_text(const std::string& task_id,
                                                          EventType type,
                                                          std::string data_text) override {
    auto published = inner_->publish_text(task_id, type, std::move(data_text));
    if (published && *published) observer_(**published);
    return published;
  }

  domain::Expected<Subscription> subscribe(const std::string& task_id, std::int64_t since_seq,
                                           EventHandler handler) override {
    return inner_->subscribe(task_id, since_seq, std::move(handler));
  }

  std::int64_t subscriber_count() const override { return inner_->subscriber_count(); }

 private:
  std::shared_ptr<EventBus> inner_;
  EventHandler observer_;
};

}  // namespace evapo::tasks
