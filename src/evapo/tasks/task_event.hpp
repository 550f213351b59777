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

/// One published event of one task. Its data travels as text: serialised once where it is made
/// (a SUCCESS with a year of results is large), stored and sent as is.
struct TaskEvent {
  std::string task_id;
  std::int64_t seq = 0;  // 1 for the task's first event, then +1 per event
  EventType type = EventType::progress;
  std::string ts;  // publication time, ISO-8601 UTC with milliseconds ("...T10:12:46.123Z")
  /// The message as sent ({"type","task_id","seq","ts","data"}), shared by every subscriber.
  std::shared_ptr<const std::string> wire;

  /// The data object (see progress_data / error_data; SUCCESS: {"results","warnings",
  /// "location"}), parsed from the wire text: for tests and tools, not the fan-out path.
  nlohmann::json data() const;
};

/// The event with its wire text built from `data_text` (compact JSON, see event_data_text).
TaskEvent make_event(std::string task_id, std::int64_t seq, EventType type, std::string ts,
                     const std::string& data_text);

/// Compact JSON text of event data; bytes that are not UTF-8 (upstream error text) are replaced
/// rather than thrown on.
std::string event_data_text(const nlohmann::json& data);

/// {"type","task_id","seq","ts","data"}: the exact message of issue 4 section 3.
nlohmann::json to_json(const TaskEvent& event);

/// The text frame / SSE data line the server sends (a copy of event.wire).
std::string serialize(const TaskEvent& event);

/// The serialised event without copying: fan-out code should prefer this to serialize().
std::shared_ptr<const std::string> wire_text(const TaskEvent& event);

/// The wire text of an event whose data is serialised as `data_text`, without parsing it:
/// byte-identical to dumping to_json() of the event compactly.
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
