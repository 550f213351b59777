#include <spdlog/spdlog.h>

#include <evapo/domain/date.hpp>
#include <evapo/tasks/redis_keys.hpp>
#include <evapo/tasks/redis_worker_registry.hpp>

namespace evapo::tasks {

using domain::Expected;
using domain::fail;

namespace {

WorkerInfo from_json(const nlohmann::json& json) {
  WorkerInfo info;
  info.id = json.value("worker_id", std::string());
  info.host = json.value("host", std::string());
  info.pid = json.value("pid", 0);
  info.concurrency = json.value("concurrency", 0);
  if (const auto it = json.find("running_tasks"); it != json.end() && it->is_array()) {
    for (const auto& id : *it) {
      if (id.is_string()) info.running_tasks.push_back(id.get<std::string>());
    }
  }
  info.started_at = json.value("started_at", std::string());
  info.last_beat = json.value("last_beat", std::string());
  return info;
}

}  // namespace

Expected<void> RedisWorkerRegistry::beat(const WorkerInfo& worker, std::chrono::milliseconds ttl) {
  const std::string key = redis_keys::kWorkerPrefix + worker.id;
  const std::string text = to_json(worker).dump();
  const std::string ttl_ms = std::to_string(ttl.count());
  const std::string now_ms = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count());
  if (auto set = redis_->command({"SET", key, text, "PX", ttl_ms}); !set) return fail(set.error());
  if (auto added = redis_->command({"ZADD", redis_keys::kWorkerSet, now_ms, worker.id}); !added) {
    return fail(added.error());
  }
  return {};
}

Expected<void> RedisWorkerRegistry::remove(const std::string& worker_id) {
  if (auto deleted = redis_->command({"DEL", redis_keys::kWorkerPrefix + worker_id}); !deleted) {
    return fail(deleted.error());
  }
  if (auto removed = redis_->command({"ZREM", redis_keys::kWorkerSet, worker_id}); !removed) {
    return fail(removed.error());
  }
  return {};
}

Expected<std::vector<WorkerInfo>> RedisWorkerRegistry::list() {
  auto ids = redis_->command({"ZRANGE", redis_keys::kWorkerSet, "0", "-1"});
  if (!ids) return fail(ids.error());
  std::vector<WorkerInfo> alive;
  if (ids->elements.empty()) return alive;
  std::vector<std::string> keys;
  for (const auto& id : ids->elements) keys.push_back(redis_keys::kWorkerPrefix + id.string);
  std::vector<std::string_view> args = {"MGET"};
  args.insert(args.end(), keys.begin(), keys.end());
  auto beats = redis_->command(args);
  if (!beats) return fail(beats.error());
  std::vector<std::string_view> gone = {"ZREM", redis_keys::kWorkerSet};
  for (std::size_t i = 0; i < beats->elements.size() && i < ids->elements.size(); ++i) {
    const auto& beat = beats->elements[i];
    if (beat.is_nil()) {
      gone.push_back(ids->elements[i].string);  // its heartbeat expired: the worker is gone
      continue;
    }
    auto json = nlohmann::json::parse(beat.string, nullptr, /*allow_exceptions=*/false);
    if (!json.is_discarded()) alive.push_back(from_json(json));
  }
  if (gone.size() > 2) {
    // Harmless if it fails: the next listing finds the same expired workers and retries.
    if (auto removed = redis_->command(gone); !removed) {
      spdlog::warn("worker registry: {} expired worker(s) not removed: {}", gone.size() - 2,
                   removed.error().message);
    }
  }
  return alive;
}

}  // namespace evapo::tasks
