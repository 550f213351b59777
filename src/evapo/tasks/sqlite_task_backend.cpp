#include <algorithm>
#include <charconv>

#include <evapo/domain/date.hpp>
#include <evapo/tasks/sqlite_task_backend.hpp>

namespace evapo::tasks {

using domain::Error;
using domain::Expected;
using domain::fail;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string now_iso() {
  return domain::format_iso_utc_millis(std::chrono::system_clock::now());
}

// Stored JSON was written by us; a row that no longer parses is reported rather than thrown.
nlohmann::json parse_stored(const std::string& text) {
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return nlohmann::json{{"unparsable", text}};
  return json;
}

std::string dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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

}  // namespace

Expected<std::shared_ptr<SqliteTaskBackend>> SqliteTaskBackend::create(
    std::shared_ptr<storage::SqliteDatabase> database) {
  auto store = storage::SqliteTaskStore::create(std::move(database));
  if (!store) return fail(store.error());
  return std::shared_ptr<SqliteTaskBackend>(new SqliteTaskBackend(std::move(*store)));
}

Expected<std::int64_t> SqliteTaskBackend::release_abandoned_claims() {
  auto released = store_->release_all();
  if (released && *released > 0) wake_all();
  return released;
}

Expected<void> SqliteTaskBackend::submit(const TaskRecord& record) {
  storage::TaskRow row;
  row.id = record.id;
  row.state = std::string(to_string(TaskState::queued));
  row.request_json = dump(record.request);
  row.created_at = record.created_at;
  row.updated_at = record.updated_at;
  if (auto inserted = store_->insert(row); !inserted) return inserted;
  {
    std::lock_guard lock(wake_mutex_);
    ++wake_generation_;
  }
  wake_.notify_one();
  return {};
}

Expected<std::optional<Claim>> SqliteTaskBackend::claim(const std::string& worker_id,
                                                        std::chrono::milliseconds lease,
                                                        std::chrono::milliseconds wait) {
  const auto give_up = std::chrono::steady_clock::now() + wait;
  while (true) {
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(wake_mutex_);
      generation = wake_generation_;
    }
    const std::int64_t now = now_ms();
    auto claimed = store_->claim(worker_id, now, now + lease.count());
    if (!claimed) return fail(claimed.error());
    if (*claimed) {
      return std::optional<Claim>(Claim{(*claimed)->task_id, worker_id, (*claimed)->attempt});
    }
    std::unique_lock lock(wake_mutex_);
    // Woken by a submit that happened after our look, or by wake_all; else time out.
    const bool woken =
        wake_.wait_until(lock, give_up, [&] { return wake_generation_ != generation; });
    if (!woken) return std::optional<Claim>{};
  }
}

Expected<void> SqliteTaskBackend::extend(const Claim& claim, std::chrono::milliseconds lease) {
  auto extended = store_->extend(claim.task_id, claim.worker_id, now_ms() + lease.count());
  if (!extended) return fail(extended.error());
  if (!*extended) return fail(Error::not_found("claim on " + claim.task_id + " was lost"));
  return {};
}

Expected<void> SqliteTaskBackend::ack(const Claim& claim) {
  return store_->ack(claim.task_id, claim.worker_id);
}

Expected<void> SqliteTaskBackend::release(const Claim& claim) {
  auto released = store_->release(claim.task_id, claim.worker_id);
  if (released) wake_all();
  return released;
}

Expected<std::int64_t> SqliteTaskBackend::depth() {
  return store_->queue_depth(now_ms());
}

void SqliteTaskBackend::wake_all() {
  {
    std::lock_guard lock(wake_mutex_);
    ++wake_generation_;
  }
  wake_.notify_all();
}

Expected<void> SqliteTaskBackend::health() {
  return store_->health();
}

Expected<std::optional<TaskRecord>> SqliteTaskBackend::get(const std::string& task_id) {
  auto row = store_->find(task_id);
  if (!row) return fail(row.error());
  if (!*row) return std::optional<TaskRecord>{};
  return std::optional<TaskRecord>(to_record(**row));
}

Expected<TaskPage> SqliteTaskBackend::list(const TaskListQuery& query) {
  // The cursor is the rowid of the last task shown: the next page starts below it.
  std::optional<std::int64_t> before;
  if (!query.cursor.empty()) {
    std::int64_t value = 0;
    const char* end = query.cursor.data() + query.cursor.size();
    const auto [stop, ec] = std::from_chars(query.cursor.data(), end, value);
    if (ec != std::errc() || stop != end || value <= 0) {
      return fail(
          Error::invalid_argument("invalid cursor", {{"cursor", "not a cursor of this list"}}));
    }
    before = value;
  }
  std::optional<std::string> state_name;
  if (query.state) state_name = std::string(to_string(*query.state));
  const int limit = std::clamp(query.limit, 1, kMaxTaskListLimit);
  // One more than asked tells whether another page follows.
  auto rows = store_->list(state_name, before, limit + 1);
  if (!rows) return fail(rows.error());
  TaskPage page;
  const std::size_t shown = std::min(rows->size(), static_cast<std::size_t>(limit));
  page.tasks.reserve(shown);
  for (std::size_t i = 0; i < shown; ++i) page.tasks.push_back(to_record((*rows)[i]));
  if (rows->size() > shown) page.next_cursor = std::to_string((*rows)[shown - 1].position);
  return page;
}

Expected<std::map<TaskState, std::int64_t>> SqliteTaskBackend::count_by_state() {
  auto rows = store_->count_by_state();
  if (!rows) return fail(rows.error());
  std::map<TaskState, std::int64_t> counts;
  for (const TaskState state : {TaskState::queued, TaskState::processing, TaskState::success,
                                TaskState::error, TaskState::timeout, TaskState::cancelled}) {
    counts[state] = 0;
  }
  for (const auto& [name, count] : *rows) {
    if (const auto state = parse_task_state(name)) counts[*state] = count;
  }
  return counts;
}

Expected<void> SqliteTaskBackend::mark_started(const std::string& task_id) {
  return store_->mark_started(task_id, now_iso());
}

Expected<std::optional<TaskEvent>> SqliteTaskBackend::append_text(const std::string& task_id,
                                                                  EventType type,
                                                                  std::string data_text) {
  storage::TaskEventAppend event;
  event.task_id = task_id;
  event.type = std::string(to_string(type));
  event.ts = now_iso();
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
  auto appended = store_->append(event);
  if (!appended) return fail(appended.error());
  if (!*appended) return std::optional<TaskEvent>{};
  return std::optional<TaskEvent>(
      make_event(task_id, (*appended)->seq, type, (*appended)->ts, event.data_json));
}

Expected<std::vector<TaskEvent>> SqliteTaskBackend::read(const std::string& task_id,
                                                         std::int64_t since_seq, int limit) {
  auto rows = store_->events(task_id, since_seq, limit);
  if (!rows) return fail(rows.error());
  std::vector<TaskEvent> events;
  events.reserve(rows->size());
  for (const auto& row : *rows) events.push_back(to_event(row));
  return events;
}

Expected<std::int64_t> SqliteTaskBackend::prune(
    std::chrono::system_clock::time_point finished_before, int limit) {
  return store_->delete_finished_before(domain::format_iso_utc_millis(finished_before), limit);
}

}  // namespace evapo::tasks
