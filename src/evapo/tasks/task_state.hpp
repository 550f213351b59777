#pragma once

#include <optional>
#include <string_view>

namespace evapo::tasks {

/// Lifecycle of a task. queued -> processing -> exactly one of the four terminal states.
/// A processing task whose worker died goes back to being claimable (it stays "processing" in
/// the record, with its lease expired) and is re-run; a terminal task never changes again.
enum class TaskState { queued, processing, success, error, timeout, cancelled };

/// Stable lower-case name used in JSON and in the store: "queued", "processing", "success",
/// "error", "timeout", "cancelled".
std::string_view to_string(TaskState state);

/// Inverse of to_string; nullopt for an unknown name.
std::optional<TaskState> parse_task_state(std::string_view text);

/// True for success, error, timeout and cancelled.
bool is_terminal(TaskState state);

}  // namespace evapo::tasks
