#include <algorithm>
#include <charconv>

#include <evapo/tasks/task_rows.hpp>

namespace evapo::tasks {

namespace {

// Stored JSON was written by us; a row that no longer parses is reported rather than thrown.
nlohmann::json parse_stored(const std::string& text) {
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return nlohmann::json{{"unparsable", text}};
  return json;
}

}  // namespace

storage::TaskRow to_row(const TaskRecord& record) {
  storage::TaskRow row;
  row.id = record.id;
  row.state = std::string(to_string(TaskState::queued));
  row.request_json = event_data_text(record.request);
  row.created_at = record.created_at;
  row.updated_at = record.updated_at;
  return row;
}

TaskRecord to_record(const storage::TaskRow& row) {
  TaskRecord record;
  record.id = row.id;
  record.state = parse_task_state(row.state).value_or(TaskState::error);
  record.request = parse_stored(row.request_json);
  record.created_at = row.created_at;
  record.updated_at = row.updated_at;
  record.started_at = row.started_at;
  record.finished_at = row.finished_at;
  record.progress = row.progress;
  record.step = row.step;
  record.last_seq = row.last_seq;
  record.attempts = row.attempts;
  if (row.result_json) record.result = parse_stored(*row.result_json);
  if (row.error_json) record.error = parse_stored(*row.error_json);
  return record;
}

TaskEvent to_event(const storage::TaskEventRow& row) {
  const EventType type = parse_event_type(row.type).value_or(EventType::error);
  return make_event(row.task_id, row.seq, type, row.ts, row.data_json);
}

storage::TaskEventAppend to_append(const std::string& task_id, EventType type,
                                   std::string data_text, std::string ts) {
  storage::TaskEventAppend event;
  event.task_id = task_id;
  event.type = std::string(to_string(type));
  event.ts = std::move(ts);
  event.data_json = std::move(data_text);
  event.state = std::string(to_string(state_after(type)));
  if (type == EventType::progress) {
    // Progress data is small: reading its step back costs little.
    const auto data = parse_stored(event.data_json);
    if (const auto it = data.find("progress"); it != data.end() && it->is_number_integer()) {
      event.progress = it->get<int>();
    }
    if (const auto it = data.find("step"); it != data.end() && it->is_string()) {
      event.step = it->get<std::string>();
    }
  } else {
    event.ending = storage::EventEnding::finishes_task;
    if (type == EventType::success) event.progress = 100;
  }
  return event;
}

std::map<TaskState, std::int64_t> to_counts(
    const std::vector<std::pair<std::string, std::int64_t>>& rows) {
  std::map<TaskState, std::int64_t> counts;
  for (const TaskState state : {TaskState::queued, TaskState::processing, TaskState::success,
                                TaskState::error, TaskState::timeout, TaskState::cancelled}) {
    counts[state] = 0;
  }
  for (const auto& [name, count] : rows) {
    if (const auto state = parse_task_state(name)) counts[*state] = count;
  }
  return counts;
}

domain::Expected<std::optional<std::int64_t>> list_cursor_position(const std::string& cursor) {
  if (cursor.empty()) return std::optional<std::int64_t>{};
  std::int64_t value = 0;
  const char* end = cursor.data() + cursor.size();
  const auto [stop, ec] = std::from_chars(cursor.data(), end, value);
  if (ec != std::errc() || stop != end || value <= 0) {
    return domain::fail(domain::Error::invalid_argument("invalid cursor",
                                                        {{"cursor", "not a cursor of this list"}}));
  }
  return std::optional<std::int64_t>(value);
}

TaskPage to_page(const std::vector<storage::TaskRow>& rows, int limit) {
  TaskPage page;
  const std::size_t shown = std::min(rows.size(), static_cast<std::size_t>(std::max(limit, 0)));
  page.tasks.reserve(shown);
  for (std::size_t i = 0; i < shown; ++i) page.tasks.push_back(to_record(rows[i]));
  if (rows.size() > shown && shown > 0) page.next_cursor = std::to_string(rows[shown - 1].position);
  return page;
}

}  // namespace evapo::tasks
