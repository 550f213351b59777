#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <evapo/tasks/task_state.hpp>

namespace evapo::tasks {

/// The stored state of one task, as GET /api/v1/tasks/{id} reports it. Times are ISO-8601 UTC
/// with milliseconds.
struct TaskRecord {
  std::string id;  // 32 lower-case hex digits (random, 128 bits)
  TaskState state = TaskState::queued;
  nlohmann::json request;  // the request as submitted (pipeline/request_json.hpp)
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> started_at;   // first time a worker picked it up
  std::optional<std::string> finished_at;  // time of the terminal event
  int progress = 0;                        // 0-100, of the last PROGRESS event (100 on success)
  std::string step;           // step key of the last PROGRESS event ("" before the first)
  std::int64_t last_seq = 0;  // seq of the task's last event (0: none yet)
  int attempts = 0;           // how many times a worker claimed it (> 1 after a re-run)
  std::optional<nlohmann::json> result;  // SUCCESS data, once succeeded
  std::optional<nlohmann::json> error;   // ERROR / TIMEOUT / CANCELLED data, once failed
};

/// {"task_id","status","request","created_at","updated_at","started_at","finished_at",
///  "progress","step","last_seq","attempts"} plus "result" or "error" when present
/// (started_at / finished_at are null until known).
nlohmann::json to_json(const TaskRecord& record);

}  // namespace evapo::tasks
