#pragma once

#include <chrono>
#include <map>
#include <mutex>

#include <evapo/tasks/worker_registry.hpp>

namespace evapo::tasks {

/// The embedded setup's registry: the workers of this process only, kept in memory.
class LocalWorkerRegistry final : public WorkerRegistry {
 public:
  domain::Expected<void> beat(const WorkerInfo& worker, std::chrono::milliseconds ttl) override;
  domain::Expected<void> remove(const std::string& worker_id) override;
  domain::Expected<std::vector<WorkerInfo>> list() override;

 private:
  struct Entry {
    WorkerInfo info;
    std::chrono::steady_clock::time_point expires;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> workers_;
};

}  // namespace evapo::tasks
