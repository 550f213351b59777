#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <pthread.h>
#include <thread>

#include <spdlog/spdlog.h>

#include <evapo/domain/date.hpp>
#include <evapo/ops/event_fanout.hpp>

namespace evapo::ops {

namespace {

struct Slot {
  TopicSet topics;
  OpsEventHandler handler;
  std::int64_t cursor = 0;  // last seq handled for this subscriber (delivered or filtered out)
  bool active = true;
};

std::string topics_key(const TopicSet& topics) {
  std::string key(kTopicCount, '0');
  for (std::size_t i = 0; i < kTopicCount; ++i) {
    if (topics.contains(static_cast<Topic>(i))) key[i] = '1';
  }
  return key;
}

std::vector<OpsEventPtr> filter(const std::vector<OpsEventPtr>& events, const TopicSet& topics,
                                std::int64_t after) {
  std::vector<OpsEventPtr> out;
  for (const auto& event : events) {
    if (event->seq > after && topics.contains(event->topic)) out.push_back(event);
  }
  return out;
}

}  // namespace

struct EventFanout::Core {
  EventFanout::Options options;

  // Events side: head, backlog. Lock order: subscribers_mutex before events_mutex.
  mutable std::mutex events_mutex;
  std::condition_variable appended;
  std::deque<OpsEventPtr> backlog;  // consecutive seqs, oldest first
  std::int64_t head = 0;
  bool stopping = false;

  // Delivery side. Recursive: a handler may reset its own subscription.
  std::recursive_mutex subscribers_mutex;
  std::vector<std::shared_ptr<Slot>> slots;
  std::int64_t delivered = 0;  // every slot has handled the events up to this seq
  bool delivering = false;
  std::atomic<std::int64_t> subscriber_count{0};
  std::thread delivery;

  std::string now_iso() const { return domain::format_iso_utc_millis(options.clock()); }

  std::string cutoff_iso() const {
    return domain::format_iso_utc_millis(options.clock() - options.limits.max_age);
  }

  // Drops what is beyond the limits; events_mutex held.
  void trim_backlog() {
    const std::string cutoff = cutoff_iso();
    while (!backlog.empty() &&
           (backlog.size() > options.limits.max_events || backlog.front()->ts < cutoff)) {
      backlog.pop_front();
    }
  }

  std::int64_t oldest() const { return backlog.empty() ? head + 1 : backlog.front()->seq; }

  // Events with seq in (after, up_to], events_mutex held.
  std::vector<OpsEventPtr> range(std::int64_t after, std::int64_t up_to) const {
    std::vector<OpsEventPtr> out;
    if (backlog.empty() || up_to <= after) return out;
    const std::int64_t first = std::max(after + 1, backlog.front()->seq);
    for (std::int64_t seq = first; seq <= up_to; ++seq) {
      out.push_back(backlog[static_cast<std::size_t>(seq - backlog.front()->seq)]);
    }
    return out;
  }

  // `seen`: the head when the fan-out started (what nobody can be waiting for).
  void deliver_loop(std::int64_t seen) {
    pthread_setname_np(pthread_self(), "evapo-ops-fan");
    std::unique_lock lock(events_mutex);
    while (true) {
      appended.wait(lock, [&] { return stopping || head > seen; });
      if (stopping) return;
      const std::int64_t oldest_kept = oldest();
      const std::int64_t up_to = head;
      std::vector<OpsEventPtr> batch = range(seen, up_to);
      const std::string ts = now_iso();
      lock.unlock();
      // No exception may end the serving process (handlers guard their own work).
      try {
        deliver(batch, seen, up_to, oldest_kept, ts);
      } catch (const std::exception& error) {
        spdlog::error("ops channel: delivery failed: {}", error.what());
      }
      seen = up_to;
      lock.lock();
    }
  }

  // Hands (after, up_to] to every slot; a slot left behind by a trimmed backlog gets a reset.
  void deliver(const std::vector<OpsEventPtr>& batch, std::int64_t after, std::int64_t up_to,
               std::int64_t oldest_kept, const std::string& ts) {
    std::lock_guard lock(subscribers_mutex);
    delivering = true;
    // Subscribers to the same topics share one filtered vector.
    std::map<std::string, std::vector<OpsEventPtr>> by_topics;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      Slot& slot = *slots[i];
      if (!slot.active || slot.cursor >= up_to) continue;
      if (slot.cursor < oldest_kept - 1) {
        auto reset = make_reset_event(up_to, oldest_kept, slot.cursor, options.node, ts);
        slot.cursor = up_to;
        slot.handler({std::move(reset)});
        continue;
      }
      std::vector<OpsEventPtr> own;
      const std::vector<OpsEventPtr>* events = nullptr;
      if (slot.cursor <= after) {
        const std::string key = topics_key(slot.topics);
        auto [it, inserted] = by_topics.try_emplace(key);
        if (inserted) it->second = filter(batch, slot.topics, after);
        events = &it->second;
      } else {
        own = filter(batch, slot.topics, slot.cursor);
        events = &own;
      }
      slot.cursor = up_to;
      if (!events->empty()) slot.handler(*events);
    }
    delivering = false;
    std::erase_if(slots, [](const std::shared_ptr<Slot>& slot) { return !slot->active; });
    delivered = up_to;
  }
};

EventFanout::EventFanout(Options options, const std::vector<OpsEventPtr>& kept, std::int64_t head)
    : options_(options), core_(std::make_shared<Core>()) {
  core_->options = std::move(options);
  core_->head = head;
  for (const auto& event : kept) {
    // Only a contiguous tail is kept: a replay must never skip a seq it claims to have.
    if (!core_->backlog.empty() && event->seq != core_->backlog.back()->seq + 1) {
      core_->backlog.clear();
    }
    core_->backlog.push_back(event);
  }
  if (!core_->backlog.empty() && core_->backlog.back()->seq != head) core_->backlog.clear();
  core_->trim_backlog();
  core_->delivered = head;
  core_->delivery = std::thread([raw = core_.get(), head] { raw->deliver_loop(head); });
}

EventFanout::~EventFanout() {
  {
    std::lock_guard lock(core_->events_mutex);
    core_->stopping = true;
  }
  core_->appended.notify_all();
  if (core_->delivery.joinable()) core_->delivery.join();
}

void EventFanout::append(OpsEventPtr event) {
  Core& core = *core_;
  {
    std::lock_guard lock(core.events_mutex);
    if (event->seq <= core.head) return;
    if (event->seq != core.head + 1) core.backlog.clear();
    core.head = event->seq;
    core.backlog.push_back(std::move(event));
    core.trim_backlog();
  }
  core.appended.notify_one();
}

tasks::Subscription EventFanout::subscribe(TopicSet topics, std::optional<std::int64_t> since_seq,
                                           OpsEventHandler handler) {
  Core& core = *core_;
  auto slot = std::make_shared<Slot>();
  slot->topics = topics;
  slot->handler = std::move(handler);
  std::lock_guard slots_lock(core.subscribers_mutex);
  std::vector<OpsEventPtr> replay;
  {
    std::lock_guard lock(core.events_mutex);
    core.trim_backlog();
    const std::int64_t head = core.head;
    const std::int64_t oldest = core.oldest();
    if (!since_seq) {
      slot->cursor = head;
    } else if (*since_seq > head || *since_seq < oldest - 1) {
      replay.push_back(
          make_reset_event(head, oldest, *since_seq, core.options.node, core.now_iso()));
      slot->cursor = head;
    } else {
      // What the delivery thread has already handed out is replayed here; the rest it delivers.
      for (auto& event : core.range(*since_seq, core.delivered)) {
        if (topics.contains(event->topic)) replay.push_back(std::move(event));
      }
      slot->cursor = std::max(*since_seq, core.delivered);
    }
  }
  if (!replay.empty()) slot->handler(replay);
  core.slots.push_back(slot);
  core.subscriber_count.fetch_add(1);
  return tasks::Subscription([core = core_, slot] {
    std::lock_guard lock(core->subscribers_mutex);
    if (!slot->active) return;
    slot->active = false;
    core->subscriber_count.fetch_sub(1);
    if (!core->delivering) {
      std::erase_if(core->slots, [](const std::shared_ptr<Slot>& s) { return !s->active; });
    }
  });
}

std::vector<OpsEventPtr> EventFanout::recent(TopicSet topics, int limit) {
  std::lock_guard lock(core_->events_mutex);
  core_->trim_backlog();
  std::vector<OpsEventPtr> out;
  for (auto it = core_->backlog.rbegin();
       it != core_->backlog.rend() && static_cast<int>(out.size()) < limit; ++it) {
    if (topics.contains((*it)->topic)) out.push_back(*it);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::int64_t EventFanout::head_seq() const {
  std::lock_guard lock(core_->events_mutex);
  return core_->head;
}

std::int64_t EventFanout::oldest_seq() const {
  std::lock_guard lock(core_->events_mutex);
  return core_->oldest();
}

std::int64_t EventFanout::subscriber_count() const {
  return core_->subscriber_count.load();
}

std::string EventFanout::now_iso() const {
  return core_->now_iso();
}

}  // namespace evapo::ops
