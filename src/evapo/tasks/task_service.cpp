#include <cstdio>
#include <mutex>
#include <thread>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <evapo/domain/date.hpp>
#include <evapo/pipeline/request_json.hpp>
#include <evapo/tasks/observed_event_bus.hpp>
#include <evapo/tasks/periodic_loop.hpp>
#include <evapo/tasks/running_tasks.hpp>
#include <evapo/tasks/task_id.hpp>
#include <evapo/tasks/task_service.hpp>
#include <evapo/tasks/task_watchdog.hpp>
#include <evapo/tasks/worker_pool.hpp>

namespace evapo::tasks {

using domain::Error;
using domain::Expected;
using domain::fail;
using std::chrono::milliseconds;

namespace {

// Small batches keep each delete short, so a submit never waits long behind one.
constexpr int kPruneBatch = 200;
// A worker missing this many beats in a row counts as gone.
constexpr int kMissedBeats = 3;

std::string now_iso() {
  return domain::format_iso_utc_millis(std::chrono::system_clock::now());
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

}  // namespace

struct TaskService::Impl {
  TaskServiceOptions options;
  TaskBackends backends;
  std::string instance_id;
  std::string host = host_name();
  std::string started_at = now_iso();

  RunningTasks running;
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<TaskWatchdog> watchdog;
  std::vector<std::unique_ptr<PeriodicLoop>> loops;  // watchdog, pruner, heartbeat

  std::mutex lifecycle_mutex;  // start / stop
  bool started = false;

  TaskQueue& queue() { return *backends.queue; }
  TaskLog& log() { return *backends.log; }
  EventBus& bus() { return *backends.bus; }

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

  void beat() {
    WorkerInfo info;
    info.id = instance_id;
    info.host = host;
    info.pid = static_cast<int>(::getpid());
    info.concurrency = options.workers;
    info.running_tasks = running.ids();
    info.started_at = started_at;
    info.last_beat = now_iso();
    if (auto ok = backends.workers->beat(info, options.heartbeat_period * kMissedBeats); !ok) {
      spdlog::warn("tasks: heartbeat not recorded: {}", ok.error().message);
    }
  }
};

TaskService::TaskService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TaskService::~TaskService() {
  stop(milliseconds{0});
}

Expected<std::unique_ptr<TaskService>> TaskService::open(TaskServiceOptions options,
                                                         TaskBackends backends) {
  if (options.run_workers && !options.calculation) {
    return fail(Error::invalid_argument("TaskService needs a calculation function"));
  }
  if (!backends.log || !backends.queue || !backends.bus || !backends.workers) {
    return fail(Error::invalid_argument("TaskService needs a log, a queue, a bus and a registry"));
  }
  if (options.workers <= 0) {
    options.workers = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  }
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->backends = std::move(backends);
  if (impl->options.event_observer) {
    impl->backends.bus = std::make_shared<ObservedEventBus>(std::move(impl->backends.bus),
                                                            impl->options.event_observer);
  }
  impl->instance_id =
      impl->host + "-" + std::to_string(::getpid()) + "-" + new_task_id().substr(0, 8);
  Impl& self = *impl;
  impl->pool = std::make_unique<WorkerPool>(self.queue(), self.log(), self.bus(), self.running,
                                            self.options, self.instance_id);
  impl->watchdog = std::make_unique<TaskWatchdog>(
      self.queue(), self.log(), self.bus(), self.running, self.options,
      self.backends.shared ? CancelSource::any_node : CancelSource::this_process);
  impl->loops.push_back(std::make_unique<PeriodicLoop>(
      "evapo-watchdog", self.options.watchdog_period, [&self] { self.watchdog->tick(); }));
  impl->loops.push_back(std::make_unique<PeriodicLoop>("evapo-prune", self.options.prune_period,
                                                       [&self] { self.prune(); }));
  if (self.options.run_workers) {
    impl->loops.push_back(std::make_unique<PeriodicLoop>(
        "evapo-heartbeat", self.options.heartbeat_period, [&self] { self.beat(); }));
  }
  return std::unique_ptr<TaskService>(new TaskService(std::move(impl)));
}

void TaskService::start() {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (impl_->started) return;
  impl_->started = true;
  impl_->running.reopen();
  for (auto& work : impl_->backends.housekeeping) work->start();
  for (auto& loop : impl_->loops) loop->start();
  if (impl_->options.run_workers) {
    impl_->beat();
    impl_->pool->start();
  }
}

void TaskService::stop(milliseconds grace) {
  std::lock_guard lock(impl_->lifecycle_mutex);
  if (!impl_->started) return;
  impl_->pool->request_stop();
  impl_->running.wind_down(grace);
  impl_->pool->join();
  // The watchdog kept renewing leases while the runs wound down; now everything else stops.
  for (auto& loop : impl_->loops) loop->stop();
  for (auto& work : impl_->backends.housekeeping) work->stop();
  if (impl_->options.run_workers) {
    if (auto removed = impl_->backends.workers->remove(impl_->instance_id); !removed) {
      spdlog::warn("tasks: worker {} not deregistered (its heartbeat expires): {}",
                   impl_->instance_id, removed.error().message);
    }
  }
  impl_->started = false;
}

Expected<TaskRecord> TaskService::submit(const pipeline::CalculationRequest& request) {
  TaskRecord record;
  record.id = new_task_id();
  record.state = TaskState::queued;
  record.request = pipeline::request_to_json(request);
  record.created_at = now_iso();
  record.updated_at = record.created_at;
  if (auto inserted = impl_->log().insert(record); !inserted) return fail(inserted.error());
  // Stored, so not lost: a queue that misses it (down, or it crashed before persisting the
  // entry) gets it back from the reconciler.
  if (auto enqueued = impl_->queue().enqueue(record.id); !enqueued) {
    spdlog::warn("task {}: stored but not enqueued yet ({}); the reconciler will enqueue it",
                 record.id, enqueued.error().message);
  }
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
  auto published = impl_->bus().publish(task_id, EventType::cancelled,
                                        error_data(Error::cancelled("cancelled by request")));
  if (!published) return fail(published.error());
  impl_->running.cancel(task_id);
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
  return impl_->bus().subscribe(task_id, since_seq, std::move(handler));
}

Expected<TaskCounts> TaskService::counts() {
  TaskCounts counts;
  auto by_state = impl_->log().count_by_state();
  if (!by_state) return fail(by_state.error());
  counts.by_state = std::move(*by_state);
  auto depth = impl_->queue().depth();
  if (!depth) return fail(depth.error());
  counts.queue_depth = *depth;
  counts.running = static_cast<std::int64_t>(impl_->running.size());
  counts.subscribers = impl_->bus().subscriber_count();
  return counts;
}

Expected<void> TaskService::health() {
  if (auto queue = impl_->queue().health(); !queue) return queue;
  return impl_->log().health();
}

Expected<std::int64_t> TaskService::queue_depth() {
  return impl_->queue().depth();
}

Expected<std::vector<WorkerInfo>> TaskService::workers() {
  return impl_->backends.workers->list();
}

const std::string& TaskService::instance_id() const {
  return impl_->instance_id;
}

}  // namespace evapo::tasks
