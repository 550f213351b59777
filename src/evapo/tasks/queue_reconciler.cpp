#include <spdlog/spdlog.h>

#include <evapo/domain/date.hpp>
#include <evapo/tasks/queue_reconciler.hpp>
#include <evapo/tasks/redis_keys.hpp>

namespace evapo::tasks {

using domain::Expected;
using domain::fail;

namespace {
constexpr std::size_t kBatch = 500;  // tasks per enqueue script
constexpr int kMaxTasks = 10'000;    // per pass, oldest first
}  // namespace

QueueReconciler::QueueReconciler(std::shared_ptr<TaskLog> log,
                                 std::shared_ptr<RedisTaskQueue> queue,
                                 std::shared_ptr<RedisClient> redis, std::string node_id,
                                 std::chrono::milliseconds period,
                                 std::chrono::milliseconds min_age)
    : log_(std::move(log)),
      queue_(std::move(queue)),
      redis_(std::move(redis)),
      node_id_(std::move(node_id)),
      period_(period),
      min_age_(min_age),
      loop_("evapo-reconcile", period, [this] {
        if (auto enqueued = reconcile(); !enqueued) {
          spdlog::warn("queue reconciler: {}", enqueued.error().message);
        }
      }) {}

Expected<std::int64_t> QueueReconciler::reconcile() {
  // One node at a time; the lock lapses by itself if that node dies.
  const std::string ttl = std::to_string((period_ * 2).count());
  auto locked = redis_->command({"SET", redis_keys::kReconcilerLock, node_id_, "NX", "PX", ttl});
  if (!locked) return fail(locked.error());
  if (locked->is_nil()) {
    auto holder = redis_->command({"GET", redis_keys::kReconcilerLock});
    if (!holder || holder->string != node_id_) return 0;
    if (auto extended = redis_->command({"PEXPIRE", redis_keys::kReconcilerLock, ttl}); !extended) {
      spdlog::warn("queue reconciler: lock not extended: {}", extended.error().message);
    }
  }
  const std::string before =
      domain::format_iso_utc_millis(std::chrono::system_clock::now() - min_age_);
  auto ids = log_->unfinished(before, kMaxTasks);
  if (!ids) return fail(ids.error());
  std::int64_t enqueued = 0;
  for (std::size_t from = 0; from < ids->size(); from += kBatch) {
    const auto to = std::min(ids->size(), from + kBatch);
    auto added = queue_->enqueue_missing(
        std::vector<std::string>(ids->begin() + static_cast<std::ptrdiff_t>(from),
                                 ids->begin() + static_cast<std::ptrdiff_t>(to)));
    if (!added) return fail(added.error());
    enqueued += *added;
  }
  if (enqueued > 0) {
    spdlog::warn(
        "queue reconciler: re-enqueued {} task(s) stored in the database but missing "
        "from the queue",
        enqueued);
  }
  return enqueued;
}

}  // namespace evapo::tasks
