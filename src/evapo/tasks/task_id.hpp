#pragma once

#include <string>
#include <string_view>

namespace evapo::tasks {

/// A new task id: 32 lower-case hex digits of 128 bits from the kernel's CSPRNG (getrandom), so
/// that knowing some ids tells nothing about the next (an id is enough to read a task's result).
std::string new_task_id();

/// True when `text` has the form new_task_id() produces (exactly 32 of [0-9a-f]). Anything else
/// (other lengths, upper case, bytes that are not ASCII) names no task and is never looked up.
bool is_task_id(std::string_view text);

}  // namespace evapo::tasks
