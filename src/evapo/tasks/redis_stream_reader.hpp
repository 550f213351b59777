#pragma once

// One blocking reader per process, multiplexing every Redis stream it is asked to watch: one
// connection runs XREAD BLOCK over all of them (plus this node's wake stream, written when a
// stream is added so the block ends at once) and hands each stream's new entries to its
// callback, in order. Used for task event streams; any other channel of events kept in a
// Redis stream can be watched the same way. Connection loss: reconnects with backoff
// (25 ms doubling to 2 s) and resumes from each stream's last entry delivered.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <evapo/tasks/redis_client.hpp>
#include <evapo/tasks/stop_signal.hpp>

namespace evapo::tasks {

/// One stream entry: its id ("<ms>-<n>", or "<seq>-0" for task events) and fields.
struct StreamEntry {
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;

  /// The value of `name` ("" when absent).
  const std::string& field(std::string_view name) const;
};

/// Called on the reader's thread with the new entries of one stream, oldest first. Must not
/// block for long (every stream of the node waits behind it).
using StreamCallback = std::function<void(const std::vector<StreamEntry>& entries)>;

class RedisStreamReader {
 public:
  /// `node_id` names this process's wake stream. Starts the thread.
  RedisStreamReader(RedisEndpoint endpoint, std::shared_ptr<RedisClient> redis, std::string node_id,
                    std::chrono::milliseconds block = std::chrono::seconds(2));
  ~RedisStreamReader();  // stops and joins
  RedisStreamReader(const RedisStreamReader&) = delete;
  RedisStreamReader& operator=(const RedisStreamReader&) = delete;

  /// Delivers entries of `key` with ids after `after_id` to `callback` until unwatch(key).
  /// Watching a key already watched replaces its callback and keeps its position. A new key is
  /// read once the reader's current block ends: call wake() (outside your own locks: it is a
  /// round trip to Redis) to end it at once.
  void watch(const std::string& key, const std::string& after_id, StreamCallback callback);
  void unwatch(const std::string& key);

  /// Ends the reader's current block if keys were added since the last wake.
  void wake();

  /// Streams watched now.
  std::size_t watched() const;

 private:
  struct Watch {
    std::string after_id;
    std::shared_ptr<StreamCallback> callback;
  };
  void run();

  RedisEndpoint endpoint_;
  std::shared_ptr<RedisClient> redis_;
  std::string wake_key_;
  std::chrono::milliseconds block_;
  mutable std::mutex mutex_;
  std::map<std::string, Watch> watches_;
  bool added_since_wake_ = false;
  StopSignal stop_;
  std::thread thread_;
};

}  // namespace evapo::tasks
