#include <algorithm>
#include <charconv>

#include <evapo/domain/date.hpp>
#include <evapo/tasks/sqlite_task_backend.hpp>
#include <evapo/tasks/task_rows.hpp>

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

void SqliteTaskBackend::wake(bool everyone) {
  {
    std::lock_guard lock(wake_mutex_);
    ++wake_generation_;
  }
  if (everyone) {
    wake_.notify_all();
  } else {
    wake_.notify_one();
  }
}

Expected<void> SqliteTaskBackend::insert(const TaskRecord& record) {
  return store_->insert(to_row(record));
}

Expected<void> SqliteTaskBackend::enqueue(const std::string&) {
  wake(false);
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
      return std::optional<Claim>(
          Claim{(*claimed)->task_id, worker_id, (*claimed)->attempt, (*claimed)->task_id});
    }
    std::unique_lock lock(wake_mutex_);
    // Woken by an enqueue that happened after our look, or by wake_all; else time out.
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
  wake(true);
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
  auto before = list_cursor_position(query.cursor);
  if (!before) return fail(before.error());
  std::optional<std::string> state_name;
  if (query.state) state_name = std::string(to_string(*query.state));
  const int limit = std::clamp(query.limit, 1, kMaxTaskListLimit);
  auto rows = store_->list(state_name, *before, limit + 1);
  if (!rows) return fail(rows.error());
  return to_page(*rows, limit);
}

Expected<std::map<TaskState, std::int64_t>> SqliteTaskBackend::count_by_state() {
  auto rows = store_->count_by_state();
  if (!rows) return fail(rows.error());
  return to_counts(*rows);
}

Expected<void> SqliteTaskBackend::mark_started(const std::string& task_id, int attempt) {
  return store_->mark_started(task_id, now_iso(), attempt);
}

Expected<std::vector<std::string>> SqliteTaskBackend::unfinished(const std::string& created_before,
                                                                 int limit) {
  return store_->unfinished(created_before, limit);
}

Expected<std::optional<TaskEvent>> SqliteTaskBackend::append_text(const std::string& task_id,
                                                                  EventType type,
                                                                  std::string data_text) {
  const auto event = to_append(task_id, type, std::move(data_text), now_iso());
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
