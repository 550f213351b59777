#include <pthread.h>

#include <spdlog/spdlog.h>

#include <evapo/pipeline/request_json.hpp>
#include <evapo/tasks/progress_handoff.hpp>
#include <evapo/tasks/thread_priority.hpp>
#include <evapo/tasks/worker_pool.hpp>

namespace evapo::tasks {

using domain::Error;
using domain::Expected;
using domain::fail;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {
constexpr milliseconds kClaimWait{250};
constexpr milliseconds kRetryAfterStoreError{200};
constexpr milliseconds kLongestStoreWait{2000};
}  // namespace

// A store that is down (restarting, failing over) does not cost the task an attempt: the call
// is repeated with backoff, the claim kept alive meanwhile, until the store answers or the
// process stops.
template <class Call>
auto WorkerPool::while_store_unavailable(const Claim& claim, Call call) -> decltype(call()) {
  auto result = call();
  milliseconds backoff = kRetryAfterStoreError;
  auto next_renewal = steady_clock::now() + options_.lease / 3;
  while (!result && result.error().code == domain::ErrorCode::unavailable && !stopping_) {
    spdlog::warn("task {}: store unavailable ({}), retrying in {} ms", claim.task_id,
                 result.error().message, backoff.count());
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, kLongestStoreWait);
    if (steady_clock::now() >= next_renewal) {
      next_renewal = steady_clock::now() + options_.lease / 3;
      if (auto extended = queue_.extend(claim, options_.lease); !extended) {
        spdlog::warn("task {}: lease not extended: {}", claim.task_id, extended.error().message);
      }
    }
    result = call();
  }
  return result;
}

WorkerPool::WorkerPool(TaskQueue& queue, TaskLog& log, EventBus& bus, RunningTasks& running,
                       const TaskServiceOptions& options, std::string instance_id)
    : queue_(queue),
      log_(log),
      bus_(bus),
      running_(running),
      options_(options),
      instance_id_(std::move(instance_id)) {}

WorkerPool::~WorkerPool() {
  request_stop();
  join();
}

void WorkerPool::start() {
  if (!threads_.empty()) return;
  stopping_ = false;
  for (int i = 0; i < options_.workers; ++i) {
    threads_.emplace_back([this, i] {
      pthread_setname_np(pthread_self(), "evapo-worker");
      work(instance_id_ + "/" + std::to_string(i));
    });
  }
}

void WorkerPool::request_stop() {
  stopping_ = true;
  queue_.wake_all();
}

void WorkerPool::join() {
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

void WorkerPool::work(const std::string& worker_id) {
  while (!stopping_) {
    auto claim = queue_.claim(worker_id, options_.lease, kClaimWait);
    if (!claim) {
      spdlog::warn("worker {}: claim failed: {}", worker_id, claim.error().message);
      std::this_thread::sleep_for(kRetryAfterStoreError);
      continue;
    }
    if (!*claim) continue;
    if (stopping_) {
      give_back(**claim, "release at shutdown");
      break;
    }
    // A worker that dies ends the process: whatever throws (a thread that cannot be started)
    // is logged, and the task is given back to be run again.
    try {
      run(**claim);
    } catch (const std::exception& error) {
      spdlog::error("worker {}: task {} failed unexpectedly: {}", worker_id, (*claim)->task_id,
                    error.what());
      give_back(**claim, "release after a failure");
      std::this_thread::sleep_for(kRetryAfterStoreError);
    }
  }
}

// A release that fails leaves the claim to expire: the task runs again after its lease, later.
void WorkerPool::give_back(const Claim& claim, std::string_view why) {
  if (auto released = queue_.release(claim); !released) {
    spdlog::warn("task {}: {} failed (claimable again when its lease expires): {}", claim.task_id,
                 why, released.error().message);
  }
}

void WorkerPool::finish(const Claim& claim, EventType type, std::string data_text) {
  auto published = while_store_unavailable(
      claim, [&] { return bus_.publish_text(claim.task_id, type, data_text); });
  if (!published) {
    // The terminal event is not stored: give the task back so that it is run again.
    spdlog::error("task {}: terminal event not stored: {}", claim.task_id,
                  published.error().message);
    give_back(claim, "release to run again");
    return;
  }
  if (auto acked = queue_.ack(claim); !acked) {
    spdlog::warn("task {}: ack failed: {}", claim.task_id, acked.error().message);
  }
}

void WorkerPool::run(const Claim& claim) {
  auto record = while_store_unavailable(claim, [&] { return log_.get(claim.task_id); });
  if (!record) {
    give_back(claim, "release after a store error");
    std::this_thread::sleep_for(kRetryAfterStoreError);
    return;
  }
  if (!*record || is_terminal((*record)->state)) {
    // Already finished (or gone): only the queue entry is left to remove.
    if (auto acked = queue_.ack(claim); !acked) {
      spdlog::warn("task {}: ack of a finished task failed: {}", claim.task_id,
                   acked.error().message);
    }
    return;
  }
  if (claim.attempt > options_.max_attempts) {
    finish(claim, EventType::error,
           event_data_text(
               error_data(Error::worker_lost("gave up after " + std::to_string(claim.attempt - 1) +
                                             " attempts whose worker died or lost the task"))));
    return;
  }
  auto request =
      pipeline::parse_calculation_request((*record)->request, pipeline::RequestOrigin::stored);
  if (!request) {
    finish(claim, EventType::error, event_data_text(error_data(request.error())));
    return;
  }
  if (auto marked = log_.mark_started(claim.task_id, claim.attempt); !marked) {
    spdlog::warn("task {}: start of attempt {} not recorded: {}", claim.task_id, claim.attempt,
                 marked.error().message);
  }
  if (claim.attempt > 1) {
    pipeline::Progress restarted;
    restarted.step = "restarted";
    restarted.total_steps = pipeline::kTotalSteps;
    restarted.message =
        "re-running after an interrupted attempt (attempt " + std::to_string(claim.attempt) + ")";
    if (auto published = bus_.publish(claim.task_id, EventType::progress, progress_data(restarted));
        !published) {
      spdlog::warn("task {}: restart not published: {}", claim.task_id, published.error().message);
    }
  }

  auto state = std::make_shared<RunState>();
  state->claim = claim;
  const auto now = steady_clock::now();
  state->deadline = now + options_.task_timeout;
  state->next_renewal = now + options_.lease / 3;
  running_.add(state);
  // A cancel that landed between the first read and the registration would be missed.
  if (auto again = log_.get(claim.task_id); again && *again && is_terminal((*again)->state)) {
    state->cancelled = true;
  }

  ProgressHandoff handoff;
  const pipeline::RunControl control{&state->cancelled, state->deadline};
  std::thread calculating([&] {
    pthread_setname_np(pthread_self(), "evapo-calc");
    lower_this_thread_priority();
    Expected<nlohmann::json> outcome = fail(Error::internal("calculation did not run"));
    try {
      outcome = options_.calculation(*request, handoff, control);
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
        bus_.publish_text(claim.task_id, EventType::progress, std::move(progress_text));
    if (!published) {
      spdlog::warn("task {}: progress not stored: {}", claim.task_id, published.error().message);
    } else if (!*published) {
      state->cancelled = true;  // the task ended underneath it: cancelled or timed out
    }
  });
  calculating.join();
  running_.remove(claim.task_id);

  if (state->shutdown && !result) {
    // Interrupted by a graceful stop, not finished: the next start (or another worker) runs it.
    give_back(claim, "release at shutdown");
    return;
  }
  if (result) {
    finish(claim, EventType::success, std::move(*result));
  } else {
    finish(claim, terminal_type_for(result.error().code),
           event_data_text(error_data(result.error())));
  }
}

}  // namespace evapo::tasks
