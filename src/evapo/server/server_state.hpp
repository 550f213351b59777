#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>

#include <evapo/server/access_policy.hpp>
#include <evapo/server/config.hpp>
#include <evapo/server/live_session.hpp>
#include <evapo/server/metrics.hpp>
#include <evapo/server/rate_limiter.hpp>
#include <evapo/server/router.hpp>
#include <evapo/server/static_files.hpp>
#include <evapo/server/task_capability.hpp>

namespace evapo::tasks {
class TaskService;
}

namespace evapo::ops {
class Operations;
}

namespace evapo::server {

struct WorkspaceServices;

/// What every connection of one server shares (Beast chat-multi's shared_state): configuration,
/// routes, metrics, limiter, static files, the task service, and the live sessions to close on
/// shutdown. Created once by Server; sessions hold it by shared_ptr.
class ServerState {
 public:
  /// `blocking` runs the handlers of blocking_pool routes (Server owns the pool).
  /// `operations` may be null (no operations channel: its routes answer 404).
  /// `workspaces` may be null (no datasets nor sites: their routes answer 404).
  ServerState(ServerConfig config, tasks::TaskService& tasks, boost::asio::any_io_executor blocking,
              ops::Operations* operations = nullptr, WorkspaceServices* workspaces = nullptr);

  const ServerConfig& config() const { return config_; }
  Router& router() { return router_; }
  MetricsRegistry& metrics() { return metrics_; }
  RateLimiter& rate_limiter() { return rate_limiter_; }
  const StaticFiles& static_files() const { return static_files_; }
  tasks::TaskService& tasks() { return tasks_; }
  ops::Operations* operations() { return operations_; }
  WorkspaceServices* workspaces() { return workspaces_; }
  const AccessPolicy& access() const { return access_; }
  const TaskCapability& capability() const { return capability_; }

  /// Where blocking_pool routes run.
  const boost::asio::any_io_executor& blocking_executor() const { return blocking_; }

  /// Takes one of the kMaxBlockingRequests slots of requests waiting for or holding an answer
  /// from the blocking pool (false: all taken, answer 503); each taken slot is given back by
  /// end_blocking() once the answer is written. Bounds the memory such answers (a task with a
  /// year of results) hold however many connections ask at once.
  bool try_begin_blocking();
  void end_blocking() { blocking_in_flight_.fetch_sub(1); }
  static constexpr long kMaxBlockingRequests = 256;

  /// Whether the task store was healthy at the last readiness check (readyz logs changes).
  std::atomic<bool>& store_was_healthy() { return store_was_healthy_; }

  /// Open TCP connections (the listener refuses new ones past config().max_connections).
  std::atomic<long>& connections() { return connections_; }

  /// True once shutdown started: new live sessions are refused, /readyz answers 503.
  bool stopping() const { return stopping_.load(); }

  /// Registers a live session so shutdown() reaches it; thread-safe.
  void join(LiveSession* session, std::weak_ptr<LiveSession> handle);
  void leave(LiveSession* session);

  /// Marks the server stopping: /readyz 503, no new live sessions, no more keep-alive.
  void begin_shutdown() { stopping_.store(true); }

  /// begin_shutdown(), then closes every live session with going-away (outside the lock).
  void shutdown_live_sessions();

  /// Live sessions not yet finished.
  std::size_t live_session_count();

 private:
  ServerConfig config_;
  Router router_;
  MetricsRegistry metrics_;
  RateLimiter rate_limiter_;
  StaticFiles static_files_;
  tasks::TaskService& tasks_;
  AccessPolicy access_;
  TaskCapability capability_;
  boost::asio::any_io_executor blocking_;
  ops::Operations* operations_;
  WorkspaceServices* workspaces_;
  std::atomic<long> blocking_in_flight_{0};
  std::atomic<long> connections_{0};
  std::atomic<bool> store_was_healthy_{true};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::unordered_map<LiveSession*, std::weak_ptr<LiveSession>> live_sessions_;
};

}  // namespace evapo::server
