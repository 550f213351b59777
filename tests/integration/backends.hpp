#pragma once

// The task backends under test, each a type for typed tests: the embedded SQLite one and the
// cluster one on a real redis-server and a real PostgreSQL started for the test.

#include <memory>
#include <stdexcept>
#include <string>

#include <evapo/tasks/task_backends.hpp>

#include "../support/child_process.hpp"
#include "../support/postgres_server.hpp"
#include "../support/redis_server.hpp"

namespace evapo::tasks::testing {

/// Opens the backends the tests use, with short reconciliation periods.
inline TaskBackends open_or_throw(BackendSettings settings) {
  settings.reconcile_period = std::chrono::milliseconds(300);
  settings.reconcile_min_age = std::chrono::milliseconds(500);
  auto backends = open_task_backends(settings);
  if (!backends) throw std::runtime_error(backends.error().message);
  return std::move(*backends);
}

struct SqliteBackends {
  static constexpr const char* kName = "sqlite";
  SqliteBackends() : dir(evapo::testing::fresh_temp_dir("evapo_contract")) {}
  ~SqliteBackends() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  BackendSettings settings() const {
    return {.database_url = "sqlite://" + (dir / "evapo.sqlite3").string()};
  }
  /// A second process's view of the same backends; nullopt when they cannot be shared.
  static constexpr bool kShared = false;
  TaskBackends open() const { return open_or_throw(settings()); }
  std::filesystem::path dir;
};

struct ClusterBackends {
  static constexpr const char* kName = "redis+postgresql";
  static constexpr bool kShared = true;
  BackendSettings settings() const {
    return {.database_url = postgres.url(), .queue_url = redis.url()};
  }
  TaskBackends open() const { return open_or_throw(settings()); }
  evapo::testing::RedisServer redis;
  evapo::testing::PostgresServer postgres;
};

}  // namespace evapo::tasks::testing
