#pragma once

// The event protocol of issue 4 section 3: every message a task publishes, as the WebSocket and
// SSE endpoints send it. One event log per task; seq is 1, 2, 3 ... without holes.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/tasks/task_state.hpp>

namespace evapo::tasks {

/// The kind of an event. Every task ends in exactly one terminal event (all but progress).
enum class EventType { progress, success, error, timeout, cancelled };

/// Wire name: "PROGRESS", "SUCCESS", "ERROR", "TIMEOUT", "CANCELLED".
std::string_view to_string(EventType type);

/// Inverse of to_string; nullopt for an unknown name.
std::optional<EventType> parse_event_type(std::string_view text);

/// True for every type but progress.
bool is_terminal(EventType type);

/// The task state a terminal event puts its task in (progress -> processing).
TaskState state_after(EventType type);

/// One published event of one task.
struct TaskEvent {
  std::string task_id;
  std::int64_t seq = 0;  // 1 for the task's first event, then +1 per event
  EventType type = EventType::progress;
  std::string ts;       // publication time, ISO-8601 UTC with milliseconds ("...T10:12:46.123Z")
  nlohmann::json data;  // see progress_data / error_data; SUCCESS: {"results","warnings","location"}
  /// serialize(*this), computed once by the event bus and shared by every subscriber (a SUCCESS
  /// with a year of results is large); null when not yet computed.
  std::shared_ptr<const std::string> wire;
};

/// {"type","task_id","seq","ts","data"}: the exact message of issue 4 section 3.
nlohmann::json to_json(const TaskEvent& event);

/// to_json(event) serialised compactly: the text frame / SSE data line the server sends
/// (a copy of event.wire when set).
std::string serialize(const TaskEvent& event);

/// The serialised event without copying: event.wire when set, else a new shared string. Fan-out
/// code should prefer this to serialize().
std::shared_ptr<const std::string> wire_text(const TaskEvent& event);

/// serialize() of an event whose data is already serialised (`data_text`, compact JSON), without
/// parsing it: byte-identical to serialize() of the parsed event.
std::string serialize_parts(const std::string& task_id, std::int64_t seq, EventType type,
                            const std::string& ts, const std::string& data_text);

/// PROGRESS data: {"step","progress","current_step","total_steps","message",
/// "sources":[{"source","state","message"}]}.
nlohmann::json progress_data(const pipeline::Progress& progress);

/// ERROR / TIMEOUT / CANCELLED data: {"error": message, "error_code": to_string(code),
/// "details": [{"field","reason"}]}.
nlohmann::json error_data(const domain::Error& error);

/// The terminal event type an error ends a task with: timeout -> TIMEOUT, cancelled ->
/// CANCELLED, anything else -> ERROR.
EventType terminal_type_for(domain::ErrorCode code);

}  // namespace evapo::tasks
