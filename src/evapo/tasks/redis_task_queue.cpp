#include <evapo/tasks/redis_keys.hpp>
#include <evapo/tasks/redis_task_queue.hpp>

namespace evapo::tasks {

using domain::Error;
using domain::Expected;
using domain::fail;

namespace {

// Adds the task unless the queue already holds it.
constexpr RedisScript kEnqueue{R"lua(
local added = 0
for i = 1, #ARGV do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0 then
    local id = redis.call('XADD', KEYS[1], '*', 'task', ARGV[i])
    redis.call('HSET', KEYS[2], ARGV[i], id)
    added = added + 1
  end
end
return added
)lua"};

// The first entry idle longer than the lease, taken over, with its delivery count.
constexpr RedisScript kTakeOver{R"lua(
local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', 1)
local entries = r[2]
if #entries == 0 or not entries[1] then return {r[1]} end
local id = entries[1][1]
local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
return {r[1], id, entries[1][2][2], p[1][4]}
)lua"};

// Only the consumer holding the entry may renew (XCLAIM ... JUSTID, delivery count unchanged)
// or give it back (made idle at once, so the next claim takes it over).
constexpr RedisScript kRenew{R"lua(
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #p == 0 or p[1][2] ~= ARGV[2] then return 0 end
if ARGV[4] == 'release' then
  redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'IDLE', '1000000000000', 'JUSTID')
else
  redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
end
return 1
)lua"};

constexpr RedisScript kAck{R"lua(
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
if redis.call('HGET', KEYS[2], ARGV[3]) == ARGV[2] then redis.call('HDEL', KEYS[2], ARGV[3]) end
return 1
)lua"};

// Acked entries are deleted, so the stream holds the waiting entries and the pending ones.
constexpr RedisScript kDepth{R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local pending = redis.call('XPENDING', KEYS[1], ARGV[1])[1]
return redis.call('XLEN', KEYS[1]) - pending
)lua"};

int to_int(const RedisReply& reply) {
  if (reply.type == RedisReply::Type::integer) return static_cast<int>(reply.integer);
  try {
    return std::stoi(reply.string);
  } catch (...) {
    return 1;
  }
}

}  // namespace

Expected<std::shared_ptr<RedisTaskQueue>> RedisTaskQueue::create(
    std::shared_ptr<RedisClient> redis) {
  auto queue = std::shared_ptr<RedisTaskQueue>(new RedisTaskQueue(std::move(redis)));
  if (auto created = queue->create_group(); !created) return fail(created.error());
  return queue;
}

Expected<void> RedisTaskQueue::create_group() {
  auto created = redis_->command(
      {"XGROUP", "CREATE", redis_keys::kQueue, redis_keys::kWorkers, "0", "MKSTREAM"});
  if (!created && !is_redis_error(created.error(), "BUSYGROUP")) return fail(created.error());
  return {};
}

Expected<void> RedisTaskQueue::enqueue(const std::string& task_id) {
  const std::string_view keys[] = {redis_keys::kQueue, redis_keys::kQueueIndex};
  const std::string_view args[] = {task_id};
  auto added = redis_->eval(kEnqueue, keys, args);
  if (!added) return fail(added.error());
  return {};
}

Expected<std::int64_t> RedisTaskQueue::enqueue_missing(const std::vector<std::string>& task_ids) {
  if (task_ids.empty()) return 0;
  const std::string_view keys[] = {redis_keys::kQueue, redis_keys::kQueueIndex};
  std::vector<std::string_view> args(task_ids.begin(), task_ids.end());
  auto added = redis_->eval(kEnqueue, keys, args);
  if (!added) return fail(added.error());
  return added->integer;
}

Expected<std::optional<Claim>> RedisTaskQueue::take_over_expired(const std::string& worker_id,
                                                                 std::chrono::milliseconds lease) {
  std::string cursor;
  {
    std::lock_guard lock(cursor_mutex_);
    cursor = autoclaim_cursor_;
  }
  const std::string idle = std::to_string(lease.count());
  const std::string_view keys[] = {redis_keys::kQueue};
  const std::string_view args[] = {redis_keys::kWorkers, worker_id, idle, cursor};
  auto reply = redis_->eval(kTakeOver, keys, args);
  if (!reply) return fail(reply.error());
  if (reply->elements.empty()) return std::optional<Claim>{};
  {
    std::lock_guard lock(cursor_mutex_);
    autoclaim_cursor_ = reply->elements[0].string.empty() ? "0-0" : reply->elements[0].string;
  }
  if (reply->elements.size() < 4) return std::optional<Claim>{};
  return std::optional<Claim>(Claim{reply->elements[2].string, worker_id,
                                    to_int(reply->elements[3]), reply->elements[1].string});
}

Expected<std::optional<Claim>> RedisTaskQueue::claim(const std::string& worker_id,
                                                     std::chrono::milliseconds lease,
                                                     std::chrono::milliseconds wait) {
  auto expired = take_over_expired(worker_id, lease);
  if (!expired && is_redis_error(expired.error(), "NOGROUP")) {
    // Redis lost its data (restarted without it): the group comes back, PostgreSQL's
    // reconciler puts the tasks back.
    if (auto created = create_group(); !created) return fail(created.error());
    expired = take_over_expired(worker_id, lease);
  }
  if (!expired) return fail(expired.error());
  if (*expired) return expired;
  // BLOCK 0 would wait forever: no wait is no BLOCK at all.
  const std::string block = std::to_string(wait.count());
  std::vector<std::string_view> args = {"XREADGROUP", "GROUP", redis_keys::kWorkers,
                                        worker_id,    "COUNT", "1"};
  if (wait.count() > 0) args.insert(args.end(), {"BLOCK", block});
  args.insert(args.end(), {"STREAMS", redis_keys::kQueue, ">"});
  auto reply = redis_->blocking(args, wait);
  if (!reply && is_redis_error(reply.error(), "NOGROUP")) {
    if (auto created = create_group(); !created) return fail(created.error());
    return std::optional<Claim>{};
  }
  if (!reply) return fail(reply.error());
  // [[stream, [[id, [field, value]]]]] or nil after the block.
  if (reply->is_nil() || reply->elements.empty()) return std::optional<Claim>{};
  const auto& entries = reply->elements[0].elements.at(1).elements;
  if (entries.empty()) return std::optional<Claim>{};
  const auto& entry = entries[0];
  const auto& fields = entry.elements.at(1).elements;
  std::string task_id;
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (fields[i].string == "task") task_id = fields[i + 1].string;
  }
  return std::optional<Claim>(Claim{task_id, worker_id, 1, entry.elements.at(0).string});
}

Expected<void> RedisTaskQueue::extend(const Claim& claim, std::chrono::milliseconds) {
  const std::string_view keys[] = {redis_keys::kQueue};
  const std::string_view args[] = {redis_keys::kWorkers, claim.worker_id, claim.entry_id, "renew"};
  auto renewed = redis_->eval(kRenew, keys, args);
  if (!renewed) return fail(renewed.error());
  if (renewed->integer == 0) {
    return fail(Error::not_found("claim on " + claim.task_id + " was lost"));
  }
  return {};
}

Expected<void> RedisTaskQueue::ack(const Claim& claim) {
  const std::string_view keys[] = {redis_keys::kQueue, redis_keys::kQueueIndex};
  const std::string_view args[] = {redis_keys::kWorkers, claim.entry_id, claim.task_id};
  auto acked = redis_->eval(kAck, keys, args);
  if (!acked) return fail(acked.error());
  return {};
}

Expected<void> RedisTaskQueue::release(const Claim& claim) {
  const std::string_view keys[] = {redis_keys::kQueue};
  const std::string_view args[] = {redis_keys::kWorkers, claim.worker_id, claim.entry_id,
                                   "release"};
  auto released = redis_->eval(kRenew, keys, args);
  if (!released) return fail(released.error());
  return {};
}

Expected<std::int64_t> RedisTaskQueue::depth() {
  const std::string_view keys[] = {redis_keys::kQueue};
  const std::string_view args[] = {redis_keys::kWorkers};
  auto depth = redis_->eval(kDepth, keys, args);
  if (!depth) return fail(depth.error());
  return depth->integer;
}

Expected<void> RedisTaskQueue::health() {
  auto pong = redis_->command({"PING"});
  if (!pong) return fail(pong.error());
  return {};
}

}  // namespace evapo::tasks
