#include <random>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <evapo/storage/postgres_database.hpp>
#include <evapo/tasks/local_event_bus.hpp>
#include <evapo/tasks/local_worker_registry.hpp>
#include <evapo/tasks/postgres_task_log.hpp>
#include <evapo/tasks/queue_reconciler.hpp>
#include <evapo/tasks/redis_event_bus.hpp>
#include <evapo/tasks/redis_task_queue.hpp>
#include <evapo/tasks/redis_worker_registry.hpp>
#include <evapo/tasks/sqlite_task_backend.hpp>
#include <evapo/tasks/sqlite_wal_checkpointer.hpp>
#include <evapo/tasks/task_backends.hpp>

namespace evapo::tasks {

using domain::Error;
using domain::Expected;
using domain::fail;

namespace {

constexpr std::string_view kSqlite = "sqlite://";
constexpr std::string_view kRedis = "redis://";

bool has_scheme(const std::string& url, std::string_view scheme) {
  return url.starts_with(scheme);
}

Error named(const std::string& variable, const std::string& url, const Error& error) {
  return Error{error.code, variable + "=" + redact_url(url) + ": " + error.message, {}};
}

Expected<TaskBackends> open_sqlite(const BackendSettings& settings) {
  const std::string path = settings.database_url.substr(kSqlite.size());
  if (path.empty()) {
    return fail(Error::invalid_argument(settings.database_url_name +
                                        ": sqlite:// needs a path (sqlite:///abs/file.sqlite3)"));
  }
  auto database = storage::SqliteDatabase::open(path);
  if (!database)
    return fail(named(settings.database_url_name, settings.database_url, database.error()));
  auto backends = open_sqlite_task_backends(*database, settings.checkpoint_period);
  if (!backends)
    return fail(named(settings.database_url_name, settings.database_url, backends.error()));
  backends->description = settings.database_url;
  return backends;
}

}  // namespace

Expected<TaskBackends> open_sqlite_task_backends(std::shared_ptr<storage::SqliteDatabase> database,
                                                 std::chrono::milliseconds checkpoint_period) {
  auto backend = SqliteTaskBackend::create(database);
  if (!backend) return fail(backend.error());
  // One process owns the file: whatever a previous process held it will never finish.
  if (auto released = (*backend)->release_abandoned_claims(); !released) {
    return fail(released.error());
  } else if (*released > 0) {
    spdlog::info("tasks: {} task(s) interrupted by the previous run will be run again", *released);
  }
  TaskBackends backends;
  backends.log = *backend;
  backends.queue = *backend;
  backends.bus = std::make_shared<LocalEventBus>(*backends.log);
  backends.workers = std::make_shared<LocalWorkerRegistry>();
  if (auto checkpointer = SqliteWalCheckpointer::attach(database, checkpoint_period)) {
    backends.housekeeping.push_back(std::move(checkpointer));
  }
  backends.description = "sqlite://" + database->path();
  return backends;
}

namespace {

bool is_postgresql(const std::string& url) {
  return has_scheme(url, "postgresql://") || has_scheme(url, "postgres://");
}

std::string node_id() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "unknown");
  std::random_device random;
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08x", random());
  return std::string(host) + "-" + std::to_string(::getpid()) + "-" + suffix;
}

Expected<TaskBackends> open_cluster(const BackendSettings& settings) {
  const std::string& queue_url = settings.queue_url;
  const std::string& database_url = settings.database_url;
  auto endpoint = parse_redis_url(queue_url);
  if (!endpoint) return fail(named(settings.queue_url_name, queue_url, endpoint.error()));
  storage::PostgresOptions pg_options;
  pg_options.connections = settings.database_connections;
  auto database = storage::PostgresDatabase::open(database_url, pg_options);
  if (!database) return fail(named(settings.database_url_name, database_url, database.error()));
  auto log = PostgresTaskLog::create(*database);
  if (!log) return fail(named(settings.database_url_name, database_url, log.error()));
  auto redis = RedisClient::open(*endpoint);
  if (!redis) return fail(named(settings.queue_url_name, queue_url, redis.error()));
  auto queue = RedisTaskQueue::create(*redis);
  if (!queue) return fail(named(settings.queue_url_name, queue_url, queue.error()));
  const std::string node = node_id();
  TaskBackends backends;
  backends.log = *log;
  backends.queue = *queue;
  backends.bus = std::make_shared<RedisEventBus>(*log, *redis, node);
  backends.workers = std::make_shared<RedisWorkerRegistry>(*redis);
  backends.housekeeping.push_back(std::make_shared<QueueReconciler>(
      *log, *queue, *redis, node, settings.reconcile_period, settings.reconcile_min_age));
  backends.shared = true;
  backends.description = redact_url(queue_url) + " + " + redact_url(database_url);
  return backends;
}

}  // namespace

std::string redact_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const auto authority = scheme_end + 3;
  const auto at = url.find('@', authority);
  const auto slash = url.find('/', authority);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  const auto colon = url.find(':', authority);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

Expected<TaskBackends> open_task_backends(const BackendSettings& settings) {
  const std::string& database = settings.database_url;
  const std::string& queue = settings.queue_url;
  if (has_scheme(database, kSqlite)) {
    if (!queue.empty() && queue != database) {
      if (has_scheme(queue, kSqlite)) {
        return fail(
            Error::invalid_argument(settings.queue_url_name +
                                    ": the SQLite queue is the task database itself; leave it "
                                    "unset or give the same URL as " +
                                    settings.database_url_name));
      }
      if (!has_scheme(queue, kRedis)) {
        return fail(Error::invalid_argument(settings.queue_url_name + "=" + redact_url(queue) +
                                            ": unknown scheme (expected redis://HOST:PORT[/DB])"));
      }
      return fail(Error::invalid_argument(settings.queue_url_name + "=" + redact_url(queue) +
                                          " needs a shared task database: "
                                          "set " +
                                          settings.database_url_name + "=postgresql://... (it is " +
                                          database + ")"));
    }
    return open_sqlite(settings);
  }
  if (is_postgresql(database)) {
    if (!has_scheme(queue, kRedis)) {
      return fail(Error::invalid_argument(
          settings.database_url_name + "=" + redact_url(database) +
          " is shared by a cluster: set " + settings.queue_url_name +
          "=redis://HOST:PORT[/DB] for its queue" +
          (queue.empty() ? std::string() : " (it is " + redact_url(queue) + ")")));
    }
    return open_cluster(settings);
  }
  return fail(Error::invalid_argument(settings.database_url_name + "=" + redact_url(database) +
                                      ": unknown scheme (expected sqlite:///path or "
                                      "postgresql://user:password@host:port/dbname)"));
}

}  // namespace evapo::tasks
