#pragma once

#include <memory>

#include <evapo/tasks/redis_client.hpp>
#include <evapo/tasks/worker_registry.hpp>

namespace evapo::tasks {

/// The cluster's registry: each heartbeat is a key expiring after its ttl
/// ("evapo:worker:<id>", the WorkerInfo as JSON) listed in the sorted set "evapo:workers".
class RedisWorkerRegistry final : public WorkerRegistry {
 public:
  explicit RedisWorkerRegistry(std::shared_ptr<RedisClient> redis) : redis_(std::move(redis)) {}

  domain::Expected<void> beat(const WorkerInfo& worker, std::chrono::milliseconds ttl) override;
  domain::Expected<void> remove(const std::string& worker_id) override;
  domain::Expected<std::vector<WorkerInfo>> list() override;

 private:
  std::shared_ptr<RedisClient> redis_;
};

}  // namespace evapo::tasks
