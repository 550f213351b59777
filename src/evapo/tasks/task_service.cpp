#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include <evapo/domain/date.hpp>
#include <evapo/pipeline/request_json.hpp>
#include <evapo/storage/sqlite_database.hpp>
#include <evapo/tasks/local_event_bus.hpp>
#include <evapo/tasks/observed_event_bus.hpp>
#include <evapo/tasks/sqlite_task_backend.hpp>
#include <evapo/tasks/task_id.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::tasks {

using domain::Error;
using domain::Expected;
using domain::fail;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

// Calculations are batch work: on a busy machine the network threads (accepting a POST,
// delivering an event) must not wait behind them for a scheduler time slice. SCHED_IDLE gives
// the calling thread only the CPU time no other thread wants (nice 10 where it is refused);
// Linux keeps the policy per thread, so only this thread is lowered.
void lower_this_thread_priority() {
  sched_param none{};
  if (sched_setscheduler(gettid(), SCHED_IDLE, &none) == 0) return;
  constexpr int kWorkerNice = 10;
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kWorkerNice);
}

constexpr milliseconds kClaimWait{250};
constexpr milliseconds kRetryAfterStoreError{200};
// Small batches keep each delete short, so a submit never waits long behind one.
constexpr int kPruneBatch = 200;

std::string now_iso() {
  return domain::format_iso_utc_millis(std::chrono::system_clock::now());
}

// What a worker and the watchdog share about one running task.
struct RunState {
  Claim claim;
  std::atomic<bool> cancelled{false};  // the calculation's RunControl flag
  std::atomic<bool> shutdown{false};   // stopped by stop(): leave it re-runnable
  steady_clock::time_point deadline;
  steady_clock::time_point next_renewal;
  bool timed_out = false;  // guarded by the service's running mutex
};

// Carries a calculation's progress reports and its result, already serialised, from the
// low-priority thread that computes to the worker thread that publishes. The worker, at normal
// priority, is the one that holds the store's lock and calls subscribers: a thread at nice 10
// holding that lock while preempted would make every POST wait (priority inversion). Serialising
// (and freeing) a year of results stays on the low-priority side.
class ProgressHandoff final : public pipeline::ProgressSink {
 public:
  void report(const pipeline::Progress& progress) override {
    std::string text = event_data_text(progress_data(progress));
    {
      std::lock_guard lock(mutex_);
      reports_.push_back(std::move(text));
    }
    changed_.notify_one();
  }

  void finish(Expected<std::string> result_text) {
    {
      std::lock_guard lock(mutex_);
      result_ = std::move(result_text);
    }
    changed_.notify_one();
  }

  /// Calls `publish` for every report in order, then returns the result once there is one.
  Expected<std::string> drain(const std::function<void(std::string)>& publish) {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return !reports_.empty() || result_.has_value(); });
      if (reports_.empty()) return std::move(*result_);
      std::string report = std::move(reports_.front());
      reports_.pop_front();
      lock.unlock();
      publish(std::move(report));
      lock.lock();
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> reports_;
  std::optional<Expected<std::string>> result_;
};

}  // namespace

struct TaskService::Impl {
  TaskServiceOptions options;
  std::shared_ptr<storage::SqliteDatabase> database;
  std::shared_ptr<SqliteTaskBackend> backend;
  std::shared_ptr<EventBus> bus;
  std::string instance_id;
  std::shared_ptr<storage::SqliteDatabase> checkpoint_database;  // null: SQLite checkpoints itself

  std::mutex lifecycle_mutex;  // start / stop
  bool started = false;
  std::atomic<bool> stopping{false};
  std::vector<std::thread> workers;
  std::thread watchdog;
  std::thread checkpointer;  // only when checkpoint_database is set

  std::mutex running_mutex;
  std::condition_variable running_changed;  // a run ended, or the watchdog should stop
  bool watchdog_stop = false;
  bool grace_over = false;  // stop() gave up waiting: runs starting now stop at once
  std::unordered_map<std::string, std::shared_ptr<RunState>> running;

  TaskQueue& queue() { return *backend; }
  TaskLog& log() { return *backend; }

  void worker_loop(const std::string& worker_id) {
    while (!stopping) {
      auto claim = queue().claim(worker_id, options.lease, kClaimWait);
      if (!claim) {
        spdlog::warn("worker {}: claim failed: {}", worker_id, claim.error().message);
        std::this_thread::sleep_for(kRetryAfterStoreError);
        continue;
      }
      if (!*claim) continue;
      if (stopping) {
        (void)queue().release(**claim);
        break;
      }
      // A worker that dies ends the process: whatever throws (a thread that cannot be started)
      // is logged, and the task is given back to be run again.
      try {
        run(**claim);
      } catch (const std::exception& error) {
        spdlog::error("worker {}: task {} failed unexpectedly: {}", worker_id, (*claim)->task_id,
                      error.what());
        (void)queue().release(**claim);
        std::this_thread::sleep_for(kRetryAfterStoreError);
      }
    }
  }

  void finish(const Claim& claim, EventType type, std::string data_text) {
    auto published = bus->publish_text(claim.task_id, type, std::move(data_text));
    if (!published) {
      // The terminal event is not stored: give the task back so that it is run again.
      spdlog::error("task {}: terminal event not stored: {}", claim.task_id,
                    published.error().message);
      (void)queue().release(claim);
      return;
    }
    if (auto acked = queue().ack(claim); !acked) {
      spdlog::warn("task {}: ack failed: {}", claim.task_id, acked.error().message);
    }
  }

  void run(const Claim& claim) {
    auto record = log().get(claim.task_id);
    if (!record) {
      (void)queue().release(claim);
      std::this_thread::sleep_for(kRetryAfterStoreError);
      return;
    }
    if (!*record || is_terminal((*record)->state)) {
      (void)queue().ack(claim);
      return;
    }
    if (claim.attempt > options.max_attempts) {
      finish(claim, EventType::error,
             event_data_text(error_data(Error::internal(
                 "gave up after " + std::to_string(claim.attempt - 1) + " interrupted attempts"))));
      return;
    }
    auto request =
        pipeline::parse_calculation_request((*record)->request, pipeline::RequestOrigin::stored);
    if (!request) {
      finish(claim, EventType::error, event_data_text(error_data(request.error())));
      return;
    }
    (void)log().mark_started(claim.task_id);
    if (claim.attempt > 1) {
      pipeline::Progress restarted;
      restarted.step = "restarted";
      restarted.total_steps = pipeline::kTotalSteps;
      restarted.message =
          "re-running after an interrupted attempt (attempt " + std::to_string(claim.attempt) + ")";
      (void)bus->publish(claim.task_id, EventType::progress, progress_data(restarted));
    }

    auto state = std::make_shared<RunState>();
    state->claim = claim;
    const auto now = steady_clock::now();
    state->deadline = now + options.task_timeout;
    state->next_renewal = now + options.lease / 3;
    {
      std::lock_guard lock(running_mutex);
      running[claim.task_id] = state;
      // stop() may have passed its grace period before we registered: do not outlive it.
      if (grace_over) {
        state->shutdown = true;
        state->cancelled = true;
      }
    }
    // A cancel that landed between the first read and the registration would be missed.
    if (auto again = log().get(claim.task_id); again && *again && is_terminal((*again)->state)) {
      state->cancelled = true;
    }

    ProgressHandoff handoff;
    const pipeline::RunControl control{&state->cancelled, state->deadline};
    std::thread calculating([&] {
      pthread_setname_np(pthread_self(), "evapo-calc");
      lower_this_thread_priority();
      Expected<nlohmann::json> outcome = fail(Error::internal("calculation did not run"));
      try {
        outcome = options.calculation(*request, handoff, control);
      } catch (const std::exception& error) {
        outcome = fail(Error::internal(std::string("calculation threw: ") + error.what()));
      } catch (...) {
        outcome = fail(Error::internal("calculation threw"));
      }
      if (outcome) {
        handoff.finish(event_data_text(*outcome));
      } else {
        handoff.finish(fail(std::move(outcome.error())));
      }
    });
    Expected<std::string> result = handoff.drain([&](std::string progress_text) {
      auto published =
          bus->publish_text(claim.task_id, EventType::progress, std::move(progress_text));
      if (!published) {
        spdlog::warn("task {}: progress not stored: {}", claim.task_id, published.error().message);
      } else if (!*published) {
        state->cancelled = true;  // the task ended underneath it: cancelled or timed out
      }
    });
    calculating.join();

    {
      std::lock_guard lock(running_mutex);
      running.erase(claim.task_id);
    }
    running_changed.notify_all();

    if (state->shutdown && !result) {
      // Interrupted by shutdown, not finished: the next start runs it again.
      (void)queue().release(claim);
      return;
    }
    if (result) {
      finish(claim, EventType::success, std::move(*result));
    } else {
      finish(claim, terminal_type_for(result.error().code),
             event_data_text(error_data(result.error())));
    }
  }

  void checkpoint() {
    if (!checkpoint_database) return;
    if (auto ok = checkpoint_database->execute_script("PRAGMA wal_checkpoint(PASSIVE)"); !ok) {
      spdlog::warn("tasks: WAL checkpoint failed: {}", ok.error().message);
    }
  }

  void prune() {
    if (options.retention.count() <= 0) return;
    const auto cutoff = std::chrono::system_clock::now() - options.retention;
    auto pruned = log().prune(cutoff, kPruneBatch);
    if (!pruned) {
      spdlog::warn("tasks: pruning old tasks failed: {}", pruned.error().message);
    } else if (*pruned > 0) {
      spdlog::info("tasks: deleted {} task(s) finished before the retention period", *pruned);
    }
  }

  // Copying the WAL into the database is batch work on its own connection (it takes no lock a
  // submit needs), so it runs at the calculations' low priority.
  void checkpoint_loop() {
    lower_this_thread_priority();
    std::unique_lock lock(running_mutex);
    while (
        !running_changed.wait_for(lock, options.checkpoint_period, [&] { return watchdog_stop; })) {
      lock.unlock();
      checkpoint();
      lock.lock();
    }
  }

  void watchdog_loop() {
    auto next_prune = steady_clock::now();
    std::unique_lock lock(running_mutex);
    while (!watchdog_stop) {
      running_changed.wait_for(lock, options.watchdog_period);
      if (watchdog_stop) break;
      const auto now = steady_clock::now();
      if (now >= next_prune) {
        next_prune = now + options.prune_period;
        lock.unlock();
        prune();
        lock.lock();
      }
      std::vector<std::shared_ptr<RunState>> expired;
      std::vector<std::shared_ptr<RunState>> renew;
      for (auto& [id, state] : running) {
        if (!state->timed_out && now >= state->deadline) {
          state->timed_out = true;
          expired.push_back(state);
        }
        if (now >= state->next_renewal) {
          state->next_renewal = now + options.lease / 3;
          renew.push_back(state);
        }
      }
      lock.unlock();
      for (const auto& state : expired) {
        const auto seconds =
            std::chrono::duration_cast<std::chrono::duration<double>>(options.task_timeout);
        auto published =
            bus->publish(state->claim.task_id, EventType::timeout,
                         error_data(Error::timeout("calculation exceeded its deadline of " +
                                                   std::to_string(seconds.count()) + " s")));
        if (!published) {
          spdlog::error("task {}: TIMEOUT not stored: {}", state->claim.task_id,
                        published.error().message);
        }
        state->cancelled = true;
      }
      for (const auto& state : renew) {
        if (auto extended = queue().extend(state->claim, options.lease); !extended) {
          spdlog::warn("task {}: lease not renewed: {}", state->claim.task_id,
                       extended.error().message);
        }
      }
      lock.lock();
    }
  }
};

TaskService::TaskService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TaskService::~TaskService() {
  stop(milliseconds{0});
  // The connection may be shared and outlive us: hand checkpointing back to SQLite.
  if (impl_->checkpoint_database) {
    (void)impl_->database->execute_script("PRAGMA wal_autocheckpoint=1000");
  }
}

Expected<std::unique_ptr<TaskService>> TaskService::open(
    TaskServiceOptions options, std::shared_ptr<storage::SqliteDatabase> database) {
  if (!options.calculation) {
    return fail(Error::invalid_argument("TaskService needs a calculation function"));
  }
  if (!database) {
    auto opened = storage::SqliteDatabase::open(options.database_path);
    if (!opened) return fail(opened.error());
    database = std::move(*opened);
  }
  auto backend = SqliteTaskBackend::create(database);
  if (!backend) return fail(backend.error());
  if (auto released = (*backend)->release_abandoned_claims(); !released) {
    return fail(released.error());
  } else if (*released > 0) {
    spdlog::info("tasks: {} task(s) interrupted by the previous run will be run again", *released);
  }

  auto impl = std::make_unique<Impl>();
  // Move WAL checkpoints (and their fsync) off the submit/publish path onto the watchdog.
  if (database->path() != ":memory:" && !database->path().empty()) {
    auto checkpointer = storage::SqliteDatabase::open(database->path());
    if (checkpointer && database->execute_script("PRAGMA wal_autocheckpoint=0")) {
      impl->checkpoint_database = std::move(*checkpointer);
    }
  }
  if (options.workers <= 0) {
    options.workers = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  }
  impl->options = std::move(options);
  impl->database = std::move(database);
  impl->backend = std::move(*backend);
  impl->bus = std::make_shared<LocalEventBus>(*impl->backend);
  if (impl->options.event_observer) {
    impl->bus = std::make_shared<ObservedEventBus>(impl->bus, impl->options.event_observer);
  }
  impl->instance_id = std::to_string(::getpid()) + "-" + new_task_id().substr(0, 8);
  return std::unique_ptr<TaskService>(new TaskService(std::move(impl)));
}

void TaskService::start() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (impl_->started) return;
  impl_->started = true;
  impl_->stopping = false;
  {
    std::lock_guard running_lock(impl_->running_mutex);
    impl_->watchdog_stop = false;
    impl_->grace_over = false;
  }
  impl_->watchdog = std::thread([impl = impl_.get()] {
    pthread_setname_np(pthread_self(), "evapo-watchdog");
    impl->watchdog_loop();
  });
  if (impl_->checkpoint_database) {
    impl_->checkpointer = std::thread([impl = impl_.get()] {
      pthread_setname_np(pthread_self(), "evapo-checkpt");
      impl->checkpoint_loop();
    });
  }
  for (int i = 0; i < impl_->options.workers; ++i) {
    impl_->workers.emplace_back([impl = impl_.get(), i] {
      pthread_setname_np(pthread_self(), "evapo-worker");
      impl->worker_loop(impl->instance_id + "/" + std::to_string(i));
    });
  }
}

void TaskService::stop(milliseconds grace) {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (!impl_->started) return;
  impl_->stopping = true;
  impl_->queue().wake_all();
  {
    std::unique_lock running_lock(impl_->running_mutex);
    impl_->running_changed.wait_for(running_lock, grace, [&] { return impl_->running.empty(); });
    impl_->grace_over = true;
    for (auto& [id, state] : impl_->running) {
      state->shutdown = true;
      state->cancelled = true;
    }
  }
  for (auto& worker : impl_->workers) worker.join();
  impl_->workers.clear();
  {
    std::lock_guard running_lock(impl_->running_mutex);
    impl_->watchdog_stop = true;
  }
  impl_->running_changed.notify_all();
  impl_->watchdog.join();
  if (impl_->checkpointer.joinable()) impl_->checkpointer.join();
  impl_->checkpoint();
  impl_->started = false;
}

Expected<TaskRecord> TaskService::submit(const pipeline::CalculationRequest& request) {
  TaskRecord record;
  record.id = new_task_id();
  record.state = TaskState::queued;
  record.request = pipeline::request_to_json(request);
  record.created_at = now_iso();
  record.updated_at = record.created_at;
  if (auto submitted = impl_->queue().submit(record); !submitted) return fail(submitted.error());
  return record;
}

Expected<std::optional<TaskRecord>> TaskService::get(const std::string& task_id) {
  return impl_->log().get(task_id);
}

Expected<TaskPage> TaskService::list(const TaskListQuery& query) {
  return impl_->log().list(query);
}

Expected<TaskRecord> TaskService::cancel(const std::string& task_id) {
  auto record = impl_->log().get(task_id);
  if (!record) return fail(record.error());
  if (!*record) return fail(Error::not_found("no task " + task_id));
  if (is_terminal((*record)->state)) return **record;
  auto published = impl_->bus->publish(task_id, EventType::cancelled,
                                       error_data(Error::cancelled("cancelled by request")));
  if (!published) return fail(published.error());
  {
    std::lock_guard lock(impl_->running_mutex);
    if (const auto it = impl_->running.find(task_id); it != impl_->running.end()) {
      it->second->cancelled = true;
    }
  }
  auto updated = impl_->log().get(task_id);
  if (!updated) return fail(updated.error());
  if (!*updated) return fail(Error::not_found("no task " + task_id));
  return **updated;
}

Expected<std::vector<TaskEvent>> TaskService::events(const std::string& task_id,
                                                     std::int64_t since_seq, int limit) {
  auto record = impl_->log().get(task_id);
  if (!record) return fail(record.error());
  if (!*record) return fail(Error::not_found("no task " + task_id));
  return impl_->log().read(task_id, since_seq, std::max(limit, 0));
}

Expected<Subscription> TaskService::subscribe(const std::string& task_id, std::int64_t since_seq,
                                              EventHandler handler) {
  return impl_->bus->subscribe(task_id, since_seq, std::move(handler));
}

Expected<void> TaskService::health() {
  if (auto queue = impl_->queue().health(); !queue) return queue;
  return impl_->log().health();
}

Expected<std::int64_t> TaskService::queue_depth() {
  return impl_->queue().depth();
}

Expected<TaskCounts> TaskService::counts() {
  TaskCounts counts;
  auto by_state = impl_->log().count_by_state();
  if (!by_state) return fail(by_state.error());
  counts.by_state = std::move(*by_state);
  auto depth = impl_->queue().depth();
  if (!depth) return fail(depth.error());
  counts.queue_depth = *depth;
  {
    std::lock_guard lock(impl_->running_mutex);
    counts.running = static_cast<std::int64_t>(impl_->running.size());
  }
  counts.subscribers = impl_->bus->subscriber_count();
  return counts;
}

}  // namespace evapo::tasks
