#pragma once

// Tasks and their events as the task stores keep them (SQLite: task_store.hpp; PostgreSQL:
// postgres_task_store.hpp); JSON payloads are text, not parsed here.

#include <cstdint>
#include <optional>
#include <string>

namespace evapo::storage {

/// One task as stored. A task is finished exactly when finished_at is set.
struct TaskRow {
  std::string id;
  std::string state;  // "queued", "processing" or a terminal state name
  std::string request_json;
  std::string created_at;  // ISO-8601 UTC with milliseconds, like every time here
  std::string updated_at;
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
  int progress = 0;
  std::string step;
  std::int64_t last_seq = 0;
  int attempts = 0;                        // times claimed
  std::int64_t position = 0;               // insertion order (SQLite rowid, PostgreSQL n)
  std::optional<std::string> result_json;  // terminal success data (the terminal event's)
  std::optional<std::string> error_json;   // terminal failure data (the terminal event's)
};

/// One stored event.
struct TaskEventRow {
  std::string task_id;
  std::int64_t seq = 0;
  std::string type;
  std::string ts;
  std::string data_json;
};

/// Whether an appended event ends its task.
enum class EventEnding { keeps_open, finishes_task };

/// An event to append and what it changes on its task's row.
struct TaskEventAppend {
  std::string task_id;
  std::string type;
  std::string ts;
  std::string data_json;
  EventEnding ending = EventEnding::keeps_open;
  std::string state;                // the task's state after the event
  std::optional<int> progress;      // new progress, when the event carries one
  std::optional<std::string> step;  // new step key, when the event carries one
};

/// A queue entry handed to one owner until acked or its lease passes.
struct TaskClaimRow {
  std::string task_id;
  int attempt = 1;
};

}  // namespace evapo::storage
