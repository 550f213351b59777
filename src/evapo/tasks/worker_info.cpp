#include <evapo/tasks/worker_registry.hpp>

namespace evapo::tasks {

nlohmann::json to_json(const WorkerInfo& worker) {
  return nlohmann::json{{"worker_id", worker.id},
                        {"host", worker.host},
                        {"pid", worker.pid},
                        {"concurrency", worker.concurrency},
                        {"running", worker.running_tasks.size()},
                        {"running_tasks", worker.running_tasks},
                        {"started_at", worker.started_at},
                        {"last_beat", worker.last_beat}};
}

}  // namespace evapo::tasks
