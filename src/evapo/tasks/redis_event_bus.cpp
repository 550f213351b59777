#include <charconv>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

#include <evapo/tasks/periodic_loop.hpp>
#include <evapo/tasks/redis_event_bus.hpp>
#include <evapo/tasks/redis_keys.hpp>
#include <evapo/tasks/redis_stream_reader.hpp>

namespace evapo::tasks {

using domain::Error;
using domain::Expected;
using domain::fail;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

constexpr int kReplayPage = 1000;
// A finished task's stream stays this long for late readers (the log has it for good).
constexpr const char* kFinishedStreamTtlMs = "600000";
constexpr const char* kOpenStreamTtlMs = "86400000";
// A watched task with no live entry for this long is checked against the log.
constexpr milliseconds kQuietCheck{3000};

// Mirrors one event into the task's stream: only above the last entry, never after a terminal
// one. -1: the stream already ended; 0: the entry is there already or was overtaken.
constexpr RedisScript kMirror{R"lua(
if redis.call('HEXISTS', KEYS[2], 'terminal') == 1 then return -1 end
local last = tonumber(redis.call('HGET', KEYS[2], 'seq') or '0')
local seq = tonumber(ARGV[1])
if seq <= last then return 0 end
redis.call('XADD', KEYS[1], ARGV[1] .. '-0', 'type', ARGV[2], 'ts', ARGV[3], 'wire', ARGV[4])
redis.call('HSET', KEYS[2], 'seq', ARGV[1])
local ttl = ARGV[6]
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[2], 'terminal', ARGV[2])
  ttl = ARGV[7]
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return seq
)lua"};

std::int64_t seq_of(const std::string& entry_id) {
  std::int64_t seq = 0;
  std::from_chars(entry_id.data(), entry_id.data() + entry_id.size(), seq);
  return seq;
}

}  // namespace

struct RedisEventBus::Core : std::enable_shared_from_this<Core> {
  struct Slot {
    EventHandler handler;
    std::int64_t last_seq = 0;  // the last event this subscriber got
    bool active = true;
  };
  struct Channel {
    std::recursive_mutex mutex;  // recursive: a handler may reset its own Subscription
    std::vector<std::shared_ptr<Slot>> slots;
    std::int64_t seen = 0;  // highest seq delivered through this channel
    steady_clock::time_point last_activity = steady_clock::now();
    bool finished = false;
    std::atomic<bool> closed{false};  // its last subscriber left: a new one needs a new channel
  };

  std::shared_ptr<TaskLog> log;
  std::shared_ptr<RedisClient> redis;
  std::string node_id;
  std::atomic<std::int64_t> subscribers{0};
  mutable std::mutex channels_mutex;
  std::unordered_map<std::string, std::shared_ptr<Channel>> channels;
  std::once_flag reader_started;
  std::unique_ptr<RedisStreamReader> reader;
  std::unique_ptr<PeriodicLoop> sweeper;

  RedisStreamReader& stream_reader() {
    std::call_once(reader_started, [&] {
      reader = std::make_unique<RedisStreamReader>(redis->endpoint(), redis, node_id);
      std::weak_ptr<Core> weak = weak_from_this();
      sweeper = std::make_unique<PeriodicLoop>("evapo-sweep", milliseconds{1000}, [weak] {
        if (auto core = weak.lock()) core->sweep();
      });
      sweeper->start();
    });
    return *reader;
  }

  // Lock order: a channel's mutex, then channels_mutex, then the reader's.
  std::shared_ptr<Channel> channel_for(const std::string& task_id) {
    std::lock_guard lock(channels_mutex);
    auto& channel = channels[task_id];
    if (!channel || channel->closed) channel = std::make_shared<Channel>();
    return channel;
  }

  // Starts relaying the task's stream into `channel`, unless the channel was replaced.
  void watch(const std::string& task_id, const std::shared_ptr<Channel>& channel) {
    std::lock_guard lock(channels_mutex);
    const auto it = channels.find(task_id);
    if (it == channels.end() || it->second != channel) return;
    std::weak_ptr<Core> weak = weak_from_this();
    reader->watch(redis_keys::task_events(task_id), std::to_string(channel->seen) + "-0",
                  [weak, task_id](const std::vector<StreamEntry>& entries) {
                    if (auto owner = weak.lock()) owner->on_entries(task_id, entries);
                  });
  }

  void forget(const std::string& task_id, const std::shared_ptr<Channel>& channel) {
    channel->closed = true;
    std::lock_guard lock(channels_mutex);
    const auto it = channels.find(task_id);
    if (it == channels.end() || it->second != channel) return;
    channels.erase(it);
    if (reader) reader->unwatch(redis_keys::task_events(task_id));
  }

  // Sends every logged event of the task after the slot's last up to `up_to` (inclusive).
  void fill(Slot& slot, const std::string& task_id, std::int64_t up_to) {
    while (slot.active && slot.last_seq < up_to) {
      auto page =
          log->read(task_id, slot.last_seq,
                    static_cast<int>(std::min<std::int64_t>(up_to - slot.last_seq, kReplayPage)));
      if (!page || page->empty()) {
        if (!page)
          spdlog::warn("task {}: events missing from the live stream not read from the log: {}",
                       task_id, page.error().message);
        return;
      }
      for (const auto& event : *page) call(slot, event);
    }
  }

  void call(Slot& slot, const TaskEvent& event) {
    if (!slot.active || event.seq <= slot.last_seq) return;
    try {
      slot.handler(event);
    } catch (...) {
      slot.active = false;  // a throwing handler is cut off rather than breaking the relay
    }
    slot.last_seq = event.seq;
  }

  // Delivers one event, in order, to every subscriber of the channel (gaps filled from the log).
  void deliver(const std::string& task_id, Channel& channel, const TaskEvent& event) {
    if (event.seq <= channel.seen) return;
    const auto slots = channel.slots;
    for (const auto& slot : slots) {
      if (slot->last_seq < event.seq - 1) fill(*slot, task_id, event.seq - 1);
      call(*slot, event);
    }
    channel.seen = event.seq;
    channel.last_activity = steady_clock::now();
    if (is_terminal(event.type)) channel.finished = true;
  }

  void on_entries(const std::string& task_id, const std::vector<StreamEntry>& entries) {
    std::shared_ptr<Channel> channel;
    {
      std::lock_guard lock(channels_mutex);
      const auto it = channels.find(task_id);
      if (it == channels.end()) return;
      channel = it->second;
    }
    std::unique_lock lock(channel->mutex);
    for (const auto& entry : entries) {
      if (channel->finished) break;
      const auto type = parse_event_type(entry.field("type"));
      if (!type) continue;
      TaskEvent event{task_id, seq_of(entry.id), *type, entry.field("ts"),
                      std::make_shared<const std::string>(entry.field("wire"))};
      deliver(task_id, *channel, event);
    }
    if (channel->finished) forget(task_id, channel);
  }

  // Watched tasks quiet for a while are compared with the log: what Redis lost (or never got)
  // is delivered from there.
  void sweep() {
    std::vector<std::pair<std::string, std::shared_ptr<Channel>>> quiet;
    const auto now = steady_clock::now();
    {
      std::lock_guard lock(channels_mutex);
      for (const auto& [id, channel] : channels) quiet.emplace_back(id, channel);
    }
    for (const auto& [task_id, channel] : quiet) {
      std::unique_lock lock(channel->mutex);
      if (channel->finished || now - channel->last_activity < kQuietCheck) continue;
      channel->last_activity = now;
      auto record = log->get(task_id);
      if (!record || !*record || (*record)->last_seq <= channel->seen) continue;
      auto events = log->read(task_id, channel->seen, kReplayPage);
      if (!events) continue;
      for (const auto& event : *events) deliver(task_id, *channel, event);
      if (channel->finished) forget(task_id, channel);
    }
  }
};

RedisEventBus::RedisEventBus(std::shared_ptr<TaskLog> log, std::shared_ptr<RedisClient> redis,
                             std::string node_id)
    : core_(std::make_shared<Core>()) {
  core_->log = std::move(log);
  core_->redis = std::move(redis);
  core_->node_id = std::move(node_id);
}

RedisEventBus::~RedisEventBus() {
  if (core_->sweeper) core_->sweeper->stop();
  core_->reader.reset();
}

Expected<std::optional<TaskEvent>> RedisEventBus::publish_text(const std::string& task_id,
                                                               EventType type,
                                                               std::string data_text) {
  auto event = core_->log->append_text(task_id, type, std::move(data_text));
  if (!event || !*event) return event;
  const TaskEvent& stored = **event;
  const std::string seq = std::to_string(stored.seq);
  const std::string keys_events = redis_keys::task_events(task_id);
  const std::string keys_meta = redis_keys::task_meta(task_id);
  const std::string_view keys[] = {keys_events, keys_meta};
  const std::string_view args[] = {seq,
                                   to_string(type),
                                   stored.ts,
                                   *stored.wire,
                                   is_terminal(type) ? "1" : "0",
                                   kOpenStreamTtlMs,
                                   kFinishedStreamTtlMs};
  if (auto mirrored = core_->redis->eval(kMirror, keys, args); !mirrored) {
    // Stored in the log all the same: watchers get it from there.
    spdlog::warn("task {}: event {} not mirrored to Redis: {}", task_id, stored.seq,
                 mirrored.error().message);
  }
  return event;
}

Expected<Subscription> RedisEventBus::subscribe(const std::string& task_id, std::int64_t since_seq,
                                                EventHandler handler) {
  auto& core = *core_;
  core.stream_reader();
  std::shared_ptr<Core::Channel> channel;
  std::unique_lock<std::recursive_mutex> lock;
  // A channel whose last subscriber is leaving is not joined: a fresh one replaces it.
  do {
    channel = core.channel_for(task_id);
    lock = std::unique_lock(channel->mutex);
  } while (channel->closed);
  auto record = core.log->get(task_id);
  if (!record || !*record) {
    if (channel->slots.empty()) core.forget(task_id, channel);
    if (!record) return fail(record.error());
    return fail(Error::not_found("no task " + task_id));
  }
  auto slot = std::make_shared<Core::Slot>();
  slot->handler = std::move(handler);
  slot->last_seq = since_seq;
  // Replay under the channel lock: the relay cannot deliver between the read and the
  // registration.
  while (true) {
    auto page = core.log->read(task_id, slot->last_seq, kReplayPage);
    if (!page) {
      if (channel->slots.empty()) core.forget(task_id, channel);
      return fail(page.error());
    }
    for (const auto& event : *page) {
      try {
        slot->handler(event);
      } catch (...) {
        if (channel->slots.empty()) core.forget(task_id, channel);
        return fail(Error::internal("event handler threw during replay"));
      }
      slot->last_seq = event.seq;
    }
    if (static_cast<int>(page->size()) < kReplayPage) break;
  }
  if (is_terminal((*record)->state)) {
    // Finished: the replay was everything there will ever be.
    if (channel->slots.empty()) core.forget(task_id, channel);
    return Subscription{};
  }
  // What the relay delivered to this channel meanwhile, beyond the replay.
  if (channel->seen > slot->last_seq) core.fill(*slot, task_id, channel->seen);
  const bool first = channel->slots.empty();
  channel->seen = std::max(channel->seen, slot->last_seq);
  channel->slots.push_back(slot);
  core.subscribers.fetch_add(1);
  if (first) core.watch(task_id, channel);
  lock.unlock();
  if (first) core.reader->wake();
  std::weak_ptr<Core> weak_core = core_;
  std::weak_ptr<Core::Channel> weak_channel = channel;
  return Subscription([weak_core, weak_channel, slot, task_id]() {
    const auto owner = weak_core.lock();
    if (const auto joined = weak_channel.lock()) {
      std::unique_lock guard(joined->mutex);
      slot->active = false;
      std::erase(joined->slots, slot);
      if (joined->slots.empty() && owner) owner->forget(task_id, joined);
    }
    if (owner) owner->subscribers.fetch_sub(1);
  });
}

std::int64_t RedisEventBus::subscriber_count() const {
  return core_->subscribers.load();
}

std::size_t RedisEventBus::watched_streams() const {
  return core_->reader ? core_->reader->watched() : 0;
}

}  // namespace evapo::tasks
