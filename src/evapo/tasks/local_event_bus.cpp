#include <vector>

#include <evapo/tasks/local_event_bus.hpp>

namespace evapo::tasks {

using domain::Error;
using domain::Expected;
using domain::fail;

namespace {
constexpr int kReplayPage = 1000;
}  // namespace

struct LocalEventBus::Slot {
  EventHandler handler;
  bool active = true;  // guarded by the channel's mutex
};

struct LocalEventBus::Channel {
  // Recursive so that a handler may reset its own Subscription while being called.
  std::recursive_mutex mutex;
  std::vector<std::shared_ptr<Slot>> slots;
};

LocalEventBus::~LocalEventBus() = default;

std::shared_ptr<LocalEventBus::Channel> LocalEventBus::channel_for(const std::string& task_id) {
  std::lock_guard lock(channels_mutex_);
  auto& channel = channels_[task_id];
  if (!channel) channel = std::make_shared<Channel>();
  return channel;
}

void LocalEventBus::forget(const std::string& task_id, const std::shared_ptr<Channel>& channel) {
  std::lock_guard lock(channels_mutex_);
  if (const auto it = channels_.find(task_id); it != channels_.end() && it->second == channel) {
    channels_.erase(it);
  }
}

std::size_t LocalEventBus::channel_count() const {
  std::lock_guard lock(channels_mutex_);
  return channels_.size();
}

Expected<std::optional<TaskEvent>> LocalEventBus::publish_text(const std::string& task_id,
                                                               EventType type,
                                                               std::string data_text) {
  const auto channel = channel_for(task_id);
  std::unique_lock lock(channel->mutex);
  auto event = log_.append_text(task_id, type, std::move(data_text));
  if (!event || !*event) {
    // Unknown or finished task, or a store error: drop the channel unless someone watches it.
    const bool watched = !channel->slots.empty();
    lock.unlock();
    if (!watched) forget(task_id, channel);
    return event;
  }
  // A snapshot: a handler may unsubscribe (itself or others) while we iterate.
  const auto slots = channel->slots;
  for (const auto& slot : slots) {
    if (!slot->active) continue;
    // A throwing handler is cut off rather than allowed to break the publisher.
    try {
      slot->handler(**event);
    } catch (...) {
      slot->active = false;
    }
  }
  lock.unlock();
  if (is_terminal(type)) forget(task_id, channel);
  return event;
}

Expected<Subscription> LocalEventBus::subscribe(const std::string& task_id, std::int64_t since_seq,
                                                EventHandler handler) {
  const auto channel = channel_for(task_id);
  std::unique_lock lock(channel->mutex);
  auto record = log_.get(task_id);
  if (!record || !*record) {
    const bool watched = !channel->slots.empty();
    lock.unlock();
    if (!watched) forget(task_id, channel);
    if (!record) return fail(record.error());
    return fail(Error::not_found("no task " + task_id));
  }
  // Replay under the channel lock: no publish can slip between the read and the registration.
  std::int64_t next = since_seq;
  while (true) {
    auto page = log_.read(task_id, next, kReplayPage);
    if (!page) return fail(page.error());
    for (const auto& event : *page) {
      try {
        handler(event);
      } catch (...) {
        return fail(Error::internal("event handler threw during replay"));
      }
      next = event.seq;
    }
    if (static_cast<int>(page->size()) < kReplayPage) break;
  }
  if (is_terminal((*record)->state)) {
    // Finished: the replay was everything there will ever be.
    lock.unlock();
    forget(task_id, channel);
    return Subscription{};
  }
  auto slot = std::make_shared<Slot>();
  slot->handler = std::move(handler);
  channel->slots.push_back(slot);
  subscribers_->fetch_add(1);
  std::weak_ptr<Channel> weak_channel = channel;
  auto counter = subscribers_;
  return Subscription([weak_channel, slot, counter]() {
    if (const auto owner = weak_channel.lock()) {
      std::lock_guard guard(owner->mutex);
      slot->active = false;
      std::erase(owner->slots, slot);
    }
    counter->fetch_sub(1);
  });
}

}  // namespace evapo::tasks
