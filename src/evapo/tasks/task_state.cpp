#include <evapo/tasks/task_state.hpp>

namespace evapo::tasks {

namespace {
constexpr std::string_view kNames[] = {"queued", "processing", "success",
                                       "error",  "timeout",    "cancelled"};
constexpr TaskState kStates[] = {TaskState::queued, TaskState::processing, TaskState::success,
                                 TaskState::error,  TaskState::timeout,    TaskState::cancelled};
}  // namespace

std::string_view to_string(TaskState state) {
  return kNames[static_cast<int>(state)];
}

std::optional<TaskState> parse_task_state(std::string_view text) {
  for (const TaskState state : kStates) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

bool is_terminal(TaskState state) {
  return state != TaskState::queued && state != TaskState::processing;
}

}  // namespace evapo::tasks
