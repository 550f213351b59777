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
#include <evapo/ops/embedded_event_channel.hpp>
#include <evapo/storage/ops_event_store.hpp>

namespace evapo::ops {

using domain::Expected;
using domain::fail;

namespace {

// The store is pruned to the in-memory backlog every this many events (and at open).
constexpr int kPruneEvery = 256;

struct Slot {
  TopicSet topics;
  OpsEventHandler handler;
  std::int64_t cursor = 0;  // last seq handled for this subscriber (delivered or filtered out)
  bool active = true;
};

}  // namespace

struct EmbeddedEventChannel::Core {
  Options options;
  std::shared_ptr<storage::OpsEventStore> store;

  // Publishing side: seq, backlog. Lock order: subscribers_mutex before publish_mutex.
  mutable std::mutex publish_mutex;
  std::condition_variable published;
  std::deque<OpsEventPtr> backlog;  // consecutive seqs, oldest first
  std::int64_t head = 0;
  int since_prune = 0;
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

  // Drops what is beyond the limits; publish_mutex held.
  void trim_backlog() {
    const std::string cutoff = cutoff_iso();
    while (!backlog.empty() &&
           (backlog.size() > options.limits.max_events || backlog.front()->ts < cutoff)) {
      backlog.pop_front();
    }
  }

  std::int64_t oldest() const { return backlog.empty() ? head + 1 : backlog.front()->seq; }

  // Events with seq in (after, up_to], publish_mutex held.
  std::vector<OpsEventPtr> range(std::int64_t after, std::int64_t up_to) const {
    std::vector<OpsEventPtr> out;
    if (backlog.empty() || up_to <= after) return out;
    const std::int64_t first = std::max(after + 1, backlog.front()->seq);
    for (std::int64_t seq = first; seq <= up_to; ++seq) {
      out.push_back(backlog[static_cast<std::size_t>(seq - backlog.front()->seq)]);
    }
    return out;
  }

  // `seen`: the head when the channel opened (what nobody can be waiting for).
  void deliver_loop(std::int64_t seen) {
    pthread_setname_np(pthread_self(), "evapo-ops-fan");
    std::unique_lock lock(publish_mutex);
    while (true) {
      published.wait(lock, [&] { return stopping || head > seen; });
      if (stopping) return;
      const std::int64_t oldest_kept = oldest();
      const std::int64_t up_to = head;
      std::vector<OpsEventPtr> batch = range(seen, up_to);
      const std::string ts = now_iso();
      lock.unlock();
      deliver(batch, seen, up_to, oldest_kept, ts);
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

  static std::string topics_key(const TopicSet& topics) {
    std::string key(kTopicCount, '0');
    for (std::size_t i = 0; i < kTopicCount; ++i) {
      if (topics.contains(static_cast<Topic>(i))) key[i] = '1';
    }
    return key;
  }

  static std::vector<OpsEventPtr> filter(const std::vector<OpsEventPtr>& events,
                                         const TopicSet& topics, std::int64_t after) {
    std::vector<OpsEventPtr> out;
    for (const auto& event : events) {
      if (event->seq > after && topics.contains(event->topic)) out.push_back(event);
    }
    return out;
  }
};

EmbeddedEventChannel::EmbeddedEventChannel(std::shared_ptr<Core> core) : core_(std::move(core)) {}

Expected<std::shared_ptr<EmbeddedEventChannel>> EmbeddedEventChannel::open(
    std::shared_ptr<storage::SqliteDatabase> db, Options options) {
  // The backlog is a convenience for reconnecting clients, not a record: an OS crash may lose
  // its last instants, so no write waits for the disk (a process crash loses nothing).
  if (auto pragma = db->execute_script("PRAGMA synchronous=OFF"); !pragma) {
    return fail(pragma.error());
  }
  auto store = storage::OpsEventStore::create(db);
  if (!store) return fail(store.error());
  auto core = std::make_shared<Core>();
  core->options = std::move(options);
  core->store = std::move(*store);
  auto last = core->store->last_seq();
  if (!last) return fail(last.error());
  core->head = *last;
  auto rows = core->store->load_recent(static_cast<int>(core->options.limits.max_events),
                                       core->cutoff_iso());
  if (!rows) return fail(rows.error());
  for (const auto& row : *rows) {
    const auto topic = parse_topic(row.topic);
    // Only a contiguous tail is kept: a replay must never skip a seq it claims to have.
    if (!topic || (!core->backlog.empty() && row.seq != core->backlog.back()->seq + 1)) {
      core->backlog.clear();
      if (!topic) continue;
    }
    auto event = std::make_shared<OpsEvent>();
    event->seq = row.seq;
    event->topic = *topic;
    event->type = row.type;
    event->ts = row.ts;
    event->node = row.node;
    event->wire = std::make_shared<const std::string>(row.wire);
    core->backlog.push_back(std::move(event));
  }
  if (!core->backlog.empty() && core->backlog.back()->seq != core->head) core->backlog.clear();
  if (auto pruned = core->store->prune(core->oldest(), core->head); !pruned) {
    return fail(pruned.error());
  }
  core->delivered = core->head;
  core->delivery = std::thread([raw = core.get(), head = core->head] { raw->deliver_loop(head); });
  return std::shared_ptr<EmbeddedEventChannel>(new EmbeddedEventChannel(std::move(core)));
}

EmbeddedEventChannel::~EmbeddedEventChannel() {
  {
    std::lock_guard lock(core_->publish_mutex);
    core_->stopping = true;
  }
  core_->published.notify_all();
  if (core_->delivery.joinable()) core_->delivery.join();
}

Expected<OpsEventPtr> EmbeddedEventChannel::publish_text(EventType type, std::string data_text) {
  Core& core = *core_;
  std::unique_lock lock(core.publish_mutex);
  const std::int64_t seq = core.head + 1;
  auto event = make_ops_event(seq, topic_of(type), std::string(to_string(type)), core.now_iso(),
                              core.options.node, data_text);
  if (auto stored = core.store->append({event->seq, event->ts, std::string(to_string(event->topic)),
                                        event->type, event->node, *event->wire});
      !stored) {
    return fail(stored.error());
  }
  core.head = seq;
  core.backlog.push_back(event);
  core.trim_backlog();
  if (++core.since_prune >= kPruneEvery) {
    core.since_prune = 0;
    if (auto pruned = core.store->prune(core.oldest(), core.head); !pruned) {
      spdlog::warn("ops channel: pruning the backlog failed: {}", pruned.error().message);
    }
  }
  lock.unlock();
  core.published.notify_one();
  return event;
}

Expected<tasks::Subscription> EmbeddedEventChannel::subscribe(TopicSet topics,
                                                              std::optional<std::int64_t> since_seq,
                                                              OpsEventHandler handler) {
  Core& core = *core_;
  auto slot = std::make_shared<Slot>();
  slot->topics = topics;
  slot->handler = std::move(handler);
  std::lock_guard slots_lock(core.subscribers_mutex);
  std::vector<OpsEventPtr> replay;
  {
    std::lock_guard lock(core.publish_mutex);
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

Expected<std::vector<OpsEventPtr>> EmbeddedEventChannel::recent(TopicSet topics, int limit) {
  std::lock_guard lock(core_->publish_mutex);
  core_->trim_backlog();
  std::vector<OpsEventPtr> out;
  for (auto it = core_->backlog.rbegin();
       it != core_->backlog.rend() && static_cast<int>(out.size()) < limit; ++it) {
    if (topics.contains((*it)->topic)) out.push_back(*it);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::int64_t EmbeddedEventChannel::head_seq() const {
  std::lock_guard lock(core_->publish_mutex);
  return core_->head;
}

std::int64_t EmbeddedEventChannel::oldest_seq() const {
  std::lock_guard lock(core_->publish_mutex);
  return core_->oldest();
}

std::int64_t EmbeddedEventChannel::subscriber_count() const {
  return core_->subscriber_count.load();
}

const std::string& EmbeddedEventChannel::node() const {
  return core_->options.node;
}

}  // namespace evapo::ops
