#include <evapo/tasks/running_tasks.hpp>

namespace evapo::tasks {

void RunningTasks::add(const std::shared_ptr<RunState>& run) {
  std::lock_guard lock(mutex_);
  runs_[run->claim.task_id] = run;
  if (grace_over_) {
    run->shutdown = true;
    run->cancelled = true;
  }
}

void RunningTasks::remove(const std::string& task_id) {
  {
    std::lock_guard lock(mutex_);
    runs_.erase(task_id);
  }
  changed_.notify_all();
}

bool RunningTasks::cancel(const std::string& task_id) {
  std::lock_guard lock(mutex_);
  const auto it = runs_.find(task_id);
  if (it == runs_.end()) return false;
  it->second->cancelled = true;
  return true;
}

std::vector<std::shared_ptr<RunState>> RunningTasks::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<RunState>> runs;
  runs.reserve(runs_.size());
  for (const auto& [id, run] : runs_) runs.push_back(run);
  return runs;
}

std::vector<std::string> RunningTasks::ids() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  ids.reserve(runs_.size());
  for (const auto& [id, run] : runs_) ids.push_back(id);
  return ids;
}

std::size_t RunningTasks::size() const {
  std::lock_guard lock(mutex_);
  return runs_.size();
}

void RunningTasks::wind_down(std::chrono::milliseconds grace) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, grace, [&] { return runs_.empty(); });
  grace_over_ = true;
  for (auto& [id, run] : runs_) {
    run->shutdown = true;
    run->cancelled = true;
  }
}

void RunningTasks::reopen() {
  std::lock_guard lock(mutex_);
  grace_over_ = false;
}

}  // namespace evapo::tasks
