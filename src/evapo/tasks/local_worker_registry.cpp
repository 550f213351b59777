#include <evapo/tasks/local_worker_registry.hpp>

namespace evapo::tasks {

domain::Expected<void> LocalWorkerRegistry::beat(const WorkerInfo& worker,
                                                 std::chrono::milliseconds ttl) {
  std::lock_guard lock(mutex_);
  workers_[worker.id] = Entry{worker, std::chrono::steady_clock::now() + ttl};
  return {};
}

domain::Expected<void> LocalWorkerRegistry::remove(const std::string& worker_id) {
  std::lock_guard lock(mutex_);
  workers_.erase(worker_id);
  return {};
}

domain::Expected<std::vector<WorkerInfo>> LocalWorkerRegistry::list() {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  std::erase_if(workers_, [&](const auto& entry) { return entry.second.expires <= now; });
  std::vector<WorkerInfo> alive;
  alive.reserve(workers_.size());
  for (const auto& [id, entry] : workers_) alive.push_back(entry.info);
  return alive;
}

}  // namespace evapo::tasks
