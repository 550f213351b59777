#include <algorithm>
#include <atomic>
#include <charconv>

#include <spdlog/spdlog.h>

#include <evapo/domain/date.hpp>
#include <evapo/ops/event_fanout.hpp>
#include <evapo/ops/redis_event_channel.hpp>
#include <evapo/tasks/periodic_loop.hpp>
#include <evapo/tasks/redis_stream_reader.hpp>

namespace evapo::ops {

using domain::Expected;
using domain::fail;

namespace {

// KEYS: seq, events. ARGV: max entries, topic, type, ts, node, data. The seq and the entry id
// are given in one step, so the stream holds every seq once, in order.
constexpr tasks::RedisScript kPublish{R"lua(
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'topic', ARGV[2], 'type', ARGV[3],
           'ts', ARGV[4], 'node', ARGV[5], 'data', ARGV[6])
return seq
)lua"};

// How long a node's "I have subscribers" mark lasts without being renewed.
constexpr auto kPresenceTtl = std::chrono::seconds(5);
constexpr auto kPresencePeriod = std::chrono::seconds(1);

std::int64_t seq_of_id(const std::string& id) {
  std::int64_t seq = 0;
  std::from_chars(id.data(), id.data() + id.find('-'), seq);
  return seq;
}

std::int64_t epoch_ms(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

}  // namespace

struct RedisEventChannel::Core {
  Options options;
  std::shared_ptr<tasks::RedisClient> redis;
  std::string seq_key;
  std::string events_key;
  std::string subscribed_key;
  std::string max_entries;
  std::unique_ptr<EventFanout> fanout;
  std::unique_ptr<tasks::RedisStreamReader> reader;
  std::unique_ptr<tasks::PeriodicLoop> presence;
  std::atomic<std::int64_t> other_nodes_subscribed{0};

  // An entry of the stream as an event; null when it does not read.
  OpsEventPtr event_of(const tasks::StreamEntry& entry) const {
    const auto topic = parse_topic(entry.field("topic"));
    const std::int64_t seq = seq_of_id(entry.id);
    if (!topic || seq <= 0) return nullptr;
    return make_ops_event(seq, *topic, entry.field("type"), entry.field("ts"), entry.field("node"),
                          entry.field("data"));
  }

  // Marks this node as having subscribers (or not) and reads whether other nodes have some.
  void renew_presence() {
    const auto now = options.clock();
    const std::string node = options.node;
    if (fanout->subscriber_count() > 0) {
      const std::string until = std::to_string(epoch_ms(now + kPresenceTtl));
      if (auto added = redis->command({"ZADD", subscribed_key, until, node}); !added) {
        spdlog::warn("ops channel: presence of {} not renewed: {}", node, added.error().message);
      }
    } else if (auto removed = redis->command({"ZREM", subscribed_key, node}); !removed) {
      spdlog::warn("ops channel: presence of {} not withdrawn: {}", node, removed.error().message);
    }
    const std::string from = std::to_string(epoch_ms(now));
    if (auto pruned = redis->command({"ZREMRANGEBYSCORE", subscribed_key, "-inf", "(" + from});
        !pruned) {
      spdlog::warn("ops channel: expired presences not pruned: {}", pruned.error().message);
    }
    auto count = redis->command({"ZCARD", subscribed_key});
    if (count && count->type == tasks::RedisReply::Type::integer) {
      const bool self = fanout->subscriber_count() > 0;
      other_nodes_subscribed.store(std::max<std::int64_t>(0, count->integer - (self ? 1 : 0)));
    }
  }
};

RedisEventChannel::RedisEventChannel(std::shared_ptr<Core> core) : core_(std::move(core)) {}

Expected<std::shared_ptr<RedisEventChannel>> RedisEventChannel::open(
    const tasks::RedisEndpoint& endpoint, Options options) {
  auto redis = tasks::RedisClient::open(endpoint);
  if (!redis) return fail(redis.error());
  auto core = std::make_shared<Core>();
  core->options = std::move(options);
  core->redis = std::move(*redis);
  // One hash tag: the publish script's two keys live in one slot of a Redis Cluster.
  core->seq_key = core->options.key_prefix + ":{events}:seq";
  core->events_key = core->options.key_prefix + ":{events}";
  core->subscribed_key = core->options.key_prefix + ":subscribed";
  core->max_entries = std::to_string(core->options.limits.max_events);

  auto head_reply = core->redis->command({"GET", core->seq_key});
  if (!head_reply) return fail(head_reply.error());
  std::int64_t head = 0;
  if (!head_reply->is_nil()) {
    std::from_chars(head_reply->string.data(),
                    head_reply->string.data() + head_reply->string.size(), head);
  }
  // The kept backlog, newest first from Redis, up to the head read above.
  const std::string until = std::to_string(head) + "-0";
  auto tail =
      core->redis->command({"XREVRANGE", core->events_key, until, "-", "COUNT", core->max_entries});
  if (!tail) return fail(tail.error());
  std::vector<OpsEventPtr> kept;
  // Reverse iterators, not std::views::reverse: clang 14 (the fuzz and tidy builds) cannot
  // compile libstdc++ 12's reverse_view over this vector.
  for (auto it = tail->elements.rbegin(); it != tail->elements.rend(); ++it) {
    const auto& reply = *it;
    if (reply.elements.size() < 2) continue;
    tasks::StreamEntry entry;
    entry.id = reply.elements[0].string;
    const auto& fields = reply.elements[1].elements;
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
      entry.fields.emplace_back(fields[i].string, fields[i + 1].string);
    }
    if (auto event = core->event_of(entry)) kept.push_back(std::move(event));
  }
  core->fanout = std::make_unique<EventFanout>(
      EventFanout::Options{
          .node = core->options.node, .limits = core->options.limits, .clock = core->options.clock},
      kept, head);

  core->reader = std::make_unique<tasks::RedisStreamReader>(
      endpoint, core->redis, core->options.node + ":ops", std::chrono::milliseconds(2000));
  Core* raw = core.get();
  core->reader->watch(core->events_key, until,
                      [raw](const std::vector<tasks::StreamEntry>& entries) {
                        for (const auto& entry : entries) {
                          if (auto event = raw->event_of(entry)) raw->fanout->append(event);
                        }
                      });
  core->reader->wake();
  core->presence = std::make_unique<tasks::PeriodicLoop>(
      "evapo-ops-nodes", std::chrono::duration_cast<std::chrono::milliseconds>(kPresencePeriod),
      [raw] { raw->renew_presence(); });
  core->presence->start();
  return std::shared_ptr<RedisEventChannel>(new RedisEventChannel(std::move(core)));
}

RedisEventChannel::~RedisEventChannel() {
  core_->presence->stop();
  if (auto removed = core_->redis->command({"ZREM", core_->subscribed_key, core_->options.node});
      !removed) {
    spdlog::warn("ops channel: presence of {} not withdrawn at shutdown (it expires): {}",
                 core_->options.node, removed.error().message);
  }
  core_->reader.reset();  // no more appends
  core_->fanout.reset();
}

Expected<OpsEventPtr> RedisEventChannel::publish_text(EventType type, std::string data_text) {
  Core& core = *core_;
  const std::string topic(to_string(topic_of(type)));
  const std::string name(to_string(type));
  const std::string ts = core.fanout->now_iso();
  const std::string_view keys[] = {core.seq_key, core.events_key};
  const std::string_view args[] = {core.max_entries, topic, name, ts, core.options.node, data_text};
  auto seq = core.redis->eval(kPublish, keys, args);
  if (!seq) return fail(seq.error());
  if (seq->type != tasks::RedisReply::Type::integer) {
    return fail(domain::Error::internal("operations channel: the publish script gave no seq"));
  }
  // Delivered here when it comes back from the stream, in the order every node sees.
  return make_ops_event(seq->integer, topic_of(type), name, ts, core.options.node, data_text);
}

Expected<tasks::Subscription> RedisEventChannel::subscribe(TopicSet topics,
                                                           std::optional<std::int64_t> since_seq,
                                                           OpsEventHandler handler) {
  return core_->fanout->subscribe(topics, since_seq, std::move(handler));
}

Expected<std::vector<OpsEventPtr>> RedisEventChannel::recent(TopicSet topics, int limit) {
  return core_->fanout->recent(topics, limit);
}

std::int64_t RedisEventChannel::head_seq() const {
  return core_->fanout->head_seq();
}

std::int64_t RedisEventChannel::subscriber_count() const {
  const std::int64_t own = core_->fanout->subscriber_count();
  if (own > 0) return own;
  return core_->other_nodes_subscribed.load() > 0 ? 1 : 0;
}

const std::string& RedisEventChannel::node() const {
  return core_->options.node;
}

}  // namespace evapo::ops
