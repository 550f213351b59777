#include <mutex>

#include <spdlog/spdlog.h>

#include <evapo/domain/date.hpp>
#include <evapo/ops/embedded_event_channel.hpp>
#include <evapo/ops/event_fanout.hpp>
#include <evapo/storage/ops_event_store.hpp>

namespace evapo::ops {

using domain::Expected;
using domain::fail;

namespace {

// The store is pruned to the in-memory backlog every this many events (and at open).
constexpr int kPruneEvery = 256;

}  // namespace

struct EmbeddedEventChannel::Core {
  std::shared_ptr<storage::OpsEventStore> store;
  std::unique_ptr<EventFanout> fanout;
  // Seq assignment, the store's write and the fan-out's append are one step.
  std::mutex publish_mutex;
  int since_prune = 0;
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
  core->store = std::move(*store);
  auto last = core->store->last_seq();
  if (!last) return fail(last.error());
  const auto cutoff = domain::format_iso_utc_millis(options.clock() - options.limits.max_age);
  auto rows = core->store->load_recent(static_cast<int>(options.limits.max_events), cutoff);
  if (!rows) return fail(rows.error());
  std::vector<OpsEventPtr> kept;
  for (const auto& row : *rows) {
    const auto topic = parse_topic(row.topic);
    if (!topic) continue;  // a gap: the fan-out keeps the consecutive tail only
    auto event = std::make_shared<OpsEvent>();
    event->seq = row.seq;
    event->topic = *topic;
    event->type = row.type;
    event->ts = row.ts;
    event->node = row.node;
    event->wire = std::make_shared<const std::string>(row.wire);
    kept.push_back(std::move(event));
  }
  core->fanout = std::make_unique<EventFanout>(
      EventFanout::Options{.node = options.node, .limits = options.limits, .clock = options.clock},
      kept, *last);
  if (auto pruned = core->store->prune(core->fanout->oldest_seq(), *last); !pruned) {
    return fail(pruned.error());
  }
  return std::shared_ptr<EmbeddedEventChannel>(new EmbeddedEventChannel(std::move(core)));
}

EmbeddedEventChannel::~EmbeddedEventChannel() = default;

Expected<OpsEventPtr> EmbeddedEventChannel::publish_text(EventType type, std::string data_text) {
  Core& core = *core_;
  std::lock_guard lock(core.publish_mutex);
  const std::int64_t seq = core.fanout->head_seq() + 1;
  auto event = make_ops_event(seq, topic_of(type), std::string(to_string(type)),
                              core.fanout->now_iso(), core.fanout->node(), data_text);
  if (auto stored = core.store->append({event->seq, event->ts, std::string(to_string(event->topic)),
                                        event->type, event->node, *event->wire});
      !stored) {
    return fail(stored.error());
  }
  core.fanout->append(event);
  if (++core.since_prune >= kPruneEvery) {
    core.since_prune = 0;
    if (auto pruned = core.store->prune(core.fanout->oldest_seq(), seq); !pruned) {
      spdlog::warn("ops channel: pruning the backlog failed: {}", pruned.error().message);
    }
  }
  return event;
}

Expected<tasks::Subscription> EmbeddedEventChannel::subscribe(TopicSet topics,
                                                              std::optional<std::int64_t> since_seq,
                                                              OpsEventHandler handler) {
  return core_->fanout->subscribe(topics, since_seq, std::move(handler));
}

Expected<std::vector<OpsEventPtr>> EmbeddedEventChannel::recent(TopicSet topics, int limit) {
  return core_->fanout->recent(topics, limit);
}

std::int64_t EmbeddedEventChannel::head_seq() const {
  return core_->fanout->head_seq();
}

std::int64_t EmbeddedEventChannel::oldest_seq() const {
  return core_->fanout->oldest_seq();
}

std::int64_t EmbeddedEventChannel::subscriber_count() const {
  return core_->fanout->subscriber_count();
}

const std::string& EmbeddedEventChannel::node() const {
  return core_->fanout->node();
}

}  // namespace evapo::ops
