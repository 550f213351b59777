#include <pthread.h>

#include <spdlog/spdlog.h>

#include <evapo/tasks/redis_keys.hpp>
#include <evapo/tasks/redis_stream_reader.hpp>

namespace evapo::tasks {

using std::chrono::milliseconds;

namespace {
constexpr const char* kReadCount = "1000";
constexpr RedisScript kWake{R"lua(
redis.call('XADD', KEYS[1], 'MAXLEN', '~', '16', '*', 'w', '1')
redis.call('PEXPIRE', KEYS[1], 86400000)
return 1
)lua"};
const std::string kEmpty;
}  // namespace

const std::string& StreamEntry::field(std::string_view name) const {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return kEmpty;
}

RedisStreamReader::RedisStreamReader(RedisEndpoint endpoint, std::shared_ptr<RedisClient> redis,
                                     std::string node_id, milliseconds block)
    : endpoint_(std::move(endpoint)),
      redis_(std::move(redis)),
      wake_key_(redis_keys::node_wake(node_id)),
      block_(block) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "evapo-streams");
    run();
  });
}

RedisStreamReader::~RedisStreamReader() {
  stop_.request();
  {
    std::lock_guard lock(mutex_);
    added_since_wake_ = true;
  }
  wake();
  thread_.join();
}

void RedisStreamReader::watch(const std::string& key, const std::string& after_id,
                              StreamCallback callback) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = watches_.try_emplace(key);
  if (inserted) it->second.after_id = after_id;
  it->second.callback = std::make_shared<StreamCallback>(std::move(callback));
  added_since_wake_ = added_since_wake_ || inserted;
}

void RedisStreamReader::unwatch(const std::string& key) {
  std::lock_guard lock(mutex_);
  watches_.erase(key);
}

std::size_t RedisStreamReader::watched() const {
  std::lock_guard lock(mutex_);
  return watches_.size();
}

void RedisStreamReader::wake() {
  {
    std::lock_guard lock(mutex_);
    if (!added_since_wake_) return;
    added_since_wake_ = false;
  }
  // Capped and short-lived: only its arrival matters.
  const std::string_view keys[] = {wake_key_};
  if (auto woken = redis_->eval(kWake, keys, {}); !woken) {
    spdlog::warn("event stream reader: wake-up of {} not sent: {}", wake_key_,
                 woken.error().message);
  }
}

void RedisStreamReader::run() {
  std::unique_ptr<RedisConnection> connection;
  milliseconds backoff{25};
  std::string wake_after = "0-0";
  while (!stop_.requested()) {
    if (!connection || connection->broken()) {
      connection.reset();
      auto connected = RedisConnection::connect(endpoint_, milliseconds{2000});
      if (!connected) {
        spdlog::warn("event stream reader: {} (retrying in {} ms)", connected.error().message,
                     backoff.count());
        if (stop_.wait_for(backoff)) break;
        backoff = std::min(backoff * 2, milliseconds{2000});
        continue;
      }
      connection = std::move(*connected);
      backoff = milliseconds{25};
    }
    std::vector<std::string> keys;
    std::vector<std::string> ids;
    {
      std::lock_guard lock(mutex_);
      keys.reserve(watches_.size() + 1);
      for (const auto& [key, watch] : watches_) {
        keys.push_back(key);
        ids.push_back(watch.after_id);
      }
    }
    keys.push_back(wake_key_);
    ids.push_back(wake_after);
    const std::string block = std::to_string(block_.count());
    std::vector<std::string_view> args = {"XREAD", "COUNT", kReadCount, "BLOCK", block, "STREAMS"};
    args.insert(args.end(), keys.begin(), keys.end());
    args.insert(args.end(), ids.begin(), ids.end());
    auto reply = connection->command(args, block_ + milliseconds{5000});
    if (!reply) {
      if (!connection->broken()) {
        spdlog::warn("event stream reader: {}", reply.error().message);
        if (stop_.wait_for(backoff)) break;
      }
      continue;
    }
    if (reply->is_nil()) continue;
    for (const auto& stream : reply->elements) {
      if (stream.elements.size() < 2) continue;
      const std::string& key = stream.elements[0].string;
      std::vector<StreamEntry> entries;
      entries.reserve(stream.elements[1].elements.size());
      for (const auto& item : stream.elements[1].elements) {
        if (item.elements.size() < 2) continue;
        StreamEntry entry;
        entry.id = item.elements[0].string;
        const auto& fields = item.elements[1].elements;
        for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
          entry.fields.emplace_back(fields[i].string, fields[i + 1].string);
        }
        entries.push_back(std::move(entry));
      }
      if (entries.empty()) continue;
      if (key == wake_key_) {
        wake_after = entries.back().id;
        continue;
      }
      std::shared_ptr<StreamCallback> callback;
      {
        std::lock_guard lock(mutex_);
        const auto it = watches_.find(key);
        if (it == watches_.end()) continue;
        it->second.after_id = entries.back().id;
        callback = it->second.callback;
      }
      try {
        (*callback)(entries);
      } catch (const std::exception& error) {
        spdlog::error("event stream reader: callback of {} threw: {}", key, error.what());
      }
    }
  }
}

}  // namespace evapo::tasks
