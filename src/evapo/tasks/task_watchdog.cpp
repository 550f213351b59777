#include <spdlog/spdlog.h>

#include <evapo/tasks/task_watchdog.hpp>

namespace evapo::tasks {

namespace {
constexpr std::chrono::milliseconds kRemoteCancelCheck{500};
}  // namespace

TaskWatchdog::TaskWatchdog(TaskQueue& queue, TaskLog& log, EventBus& bus, RunningTasks& running,
                           const TaskServiceOptions& options, CancelSource cancels)
    : queue_(queue),
      log_(log),
      bus_(bus),
      running_(running),
      options_(options),
      cancels_(cancels) {}

void TaskWatchdog::tick() {
  const auto now = std::chrono::steady_clock::now();
  for (const auto& run : running_.snapshot()) {
    if (now >= run->deadline && !run->timed_out.exchange(true)) time_out(*run);
    if (now >= run->next_renewal) {
      run->next_renewal = now + options_.lease / 3;
      if (auto extended = queue_.extend(run->claim, options_.lease); !extended) {
        spdlog::warn("task {}: lease not renewed: {}", run->claim.task_id,
                     extended.error().message);
      }
    }
  }
  if (cancels_ == CancelSource::any_node && now >= next_cancel_check_) {
    next_cancel_check_ = now + kRemoteCancelCheck;
    look_for_remote_cancels();
  }
}

void TaskWatchdog::time_out(RunState& run) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::duration<double>>(options_.task_timeout);
  auto published =
      bus_.publish(run.claim.task_id, EventType::timeout,
                   error_data(domain::Error::timeout("calculation exceeded its deadline of " +
                                                     std::to_string(seconds.count()) + " s")));
  if (!published) {
    spdlog::error("task {}: TIMEOUT not stored: {}", run.claim.task_id, published.error().message);
  }
  run.cancelled = true;
}

void TaskWatchdog::look_for_remote_cancels() {
  for (const auto& run : running_.snapshot()) {
    if (run->cancelled) continue;
    auto record = log_.get(run->claim.task_id);
    if (record && *record && is_terminal((*record)->state)) run->cancelled = true;
  }
}

}  // namespace evapo::tasks
