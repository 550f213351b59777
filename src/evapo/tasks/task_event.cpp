#include <evapo/domain/source_id.hpp>
#include <evapo/tasks/task_event.hpp>

namespace evapo::tasks {

namespace {
constexpr std::string_view kNames[] = {"PROGRESS", "SUCCESS", "ERROR", "TIMEOUT", "CANCELLED"};
constexpr EventType kTypes[] = {EventType::progress, EventType::success, EventType::error,
                                EventType::timeout, EventType::cancelled};
}  // namespace

std::string_view to_string(EventType type) {
  return kNames[static_cast<int>(type)];
}

std::optional<EventType> parse_event_type(std::string_view text) {
  for (const EventType type : kTypes) {
    if (to_string(type) == text) return type;
  }
  return std::nullopt;
}

bool is_terminal(EventType type) {
  return type != EventType::progress;
}

TaskState state_after(EventType type) {
  switch (type) {
    case EventType::progress:
      return TaskState::processing;
    case EventType::success:
      return TaskState::success;
    case EventType::error:
      return TaskState::error;
    case EventType::timeout:
      return TaskState::timeout;
    case EventType::cancelled:
      return TaskState::cancelled;
  }
  return TaskState::error;
}

TaskEvent make_event(std::string task_id, std::int64_t seq, EventType type, std::string ts,
                     const std::string& data_text) {
  auto wire =
      std::make_shared<const std::string>(serialize_parts(task_id, seq, type, ts, data_text));
  return TaskEvent{std::move(task_id), seq, type, std::move(ts), std::move(wire)};
}

std::string event_data_text(const nlohmann::json& data) {
  return data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json to_json(const TaskEvent& event) {
  if (!event.wire) return nlohmann::json::object();
  return nlohmann::json::parse(*event.wire, nullptr, /*allow_exceptions=*/false);
}

nlohmann::json TaskEvent::data() const {
  const auto message = to_json(*this);
  if (const auto it = message.find("data"); it != message.end()) return *it;
  return nullptr;
}

std::string serialize(const TaskEvent& event) {
  return event.wire ? *event.wire : std::string();
}

std::shared_ptr<const std::string> wire_text(const TaskEvent& event) {
  return event.wire;
}

std::string serialize_parts(const std::string& task_id, std::int64_t seq, EventType type,
                            const std::string& ts, const std::string& data_text) {
  // Keys in nlohmann's (sorted) order, strings escaped by nlohmann, so that the bytes match
  // dumping the whole message as one JSON object.
  const auto quoted = [](const std::string& text) {
    return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  std::string out;
  out.reserve(data_text.size() + task_id.size() + ts.size() + 64);
  out += "{\"data\":";
  out += data_text;
  out += ",\"seq\":";
  out += std::to_string(seq);
  out += ",\"task_id\":";
  out += quoted(task_id);
  out += ",\"ts\":";
  out += quoted(ts);
  out += ",\"type\":\"";
  out += to_string(type);
  out += "\"}";
  return out;
}

nlohmann::json progress_data(const pipeline::Progress& progress) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& status : progress.sources) {
    sources.push_back({{"source", domain::to_string(status.source)},
                       {"state", status.state},
                       {"message", status.message}});
  }
  return nlohmann::json{{"step", progress.step},
                        {"progress", progress.progress},
                        {"current_step", progress.current_step},
                        {"total_steps", progress.total_steps},
                        {"message", progress.message},
                        {"sources", std::move(sources)}};
}

nlohmann::json error_data(const domain::Error& error) {
  nlohmann::json details = nlohmann::json::array();
  for (const auto& detail : error.details) {
    details.push_back({{"field", detail.field}, {"reason", detail.reason}});
  }
  return nlohmann::json{{"error", error.message},
                        {"error_code", domain::to_string(error.code)},
                        {"details", std::move(details)}};
}

EventType terminal_type_for(domain::ErrorCode code) {
  switch (code) {
    case domain::ErrorCode::timeout:
      return EventType::timeout;
    case domain::ErrorCode::cancelled:
      return EventType::cancelled;
    default:
      return EventType::error;
  }
}

}  // namespace evapo::tasks
