#pragma once

// TaskQueue on a Redis stream with a consumer group (redis_keys.hpp):
//   enqueue = XADD (once per task: an index hash remembers the entry), claim = XAUTOCLAIM of
//   an entry idle longer than the lease, else XREADGROUP > BLOCK; attempt = its delivery count;
//   extend = XCLAIM ... JUSTID by the owner only; ack = XACK + XDEL, after the terminal event is
//   stored; release = the entry made idle at once (the next claim takes it over).

#include <memory>
#include <mutex>
#include <string>

#include <evapo/tasks/redis_client.hpp>
#include <evapo/tasks/task_queue.hpp>

namespace evapo::tasks {

class RedisTaskQueue final : public TaskQueue {
 public:
  /// Creates the consumer group when missing. Errors: unavailable.
  static domain::Expected<std::shared_ptr<RedisTaskQueue>> create(
      std::shared_ptr<RedisClient> redis);

  domain::Expected<void> enqueue(const std::string& task_id) override;
  domain::Expected<std::optional<Claim>> claim(const std::string& worker_id,
                                               std::chrono::milliseconds lease,
                                               std::chrono::milliseconds wait) override;
  domain::Expected<void> extend(const Claim& claim, std::chrono::milliseconds lease) override;
  domain::Expected<void> ack(const Claim& claim) override;
  domain::Expected<void> release(const Claim& claim) override;
  domain::Expected<std::int64_t> depth() override;
  domain::Expected<void> health() override;
  void wake_all() override {}  // a claim blocks at most its `wait`

  /// Enqueues each of `task_ids` the queue does not hold (after Redis lost its data); returns
  /// how many it enqueued.
  domain::Expected<std::int64_t> enqueue_missing(const std::vector<std::string>& task_ids);

 private:
  explicit RedisTaskQueue(std::shared_ptr<RedisClient> redis) : redis_(std::move(redis)) {}
  domain::Expected<void> create_group();
  domain::Expected<std::optional<Claim>> take_over_expired(const std::string& worker_id,
                                                           std::chrono::milliseconds lease);

  std::shared_ptr<RedisClient> redis_;
  std::mutex cursor_mutex_;
  std::string autoclaim_cursor_ = "0-0";
};

}  // namespace evapo::tasks
