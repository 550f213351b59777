#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <evapo/server/config.hpp>
#include <evapo/server/live_session.hpp>
#include <evapo/server/metrics.hpp>
#include <evapo/server/rate_limiter.hpp>
#include <evapo/server/router.hpp>
#include <evapo/server/static_files.hpp>

namespace evapo::tasks {
class TaskService;
}

namespace evapo::ops {
class Operations;
}

namespace evapo::server {

/// What every connection of one server shares (Beast chat-multi's shared_state): configuration,
/// routes, metrics, limiter, static files, the task service, and the live sessions to close on
/// shutdown. Created once by Server; sessions hold it by shared_ptr.
class ServerState {
 public:
  /// `operations` may be null (no operations channel: its routes answer 404).
  ServerState(ServerConfig config, tasks::TaskService& tasks,
              ops::Operations* operations = nullptr);

  const ServerConfig& config() const { return config_; }
  Router& router() { return router_; }
  MetricsRegistry& metrics() { return metrics_; }
  RateLimiter& rate_limiter() { return rate_limiter_; }
  const StaticFiles& static_files() const { return static_files_; }
  tasks::TaskService& tasks() { return tasks_; }
  ops::Operations* operations() { return operations_; }

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
  ops::Operations* operations_;
  std::atomic<long> connections_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::unordered_map<LiveSession*, std::weak_ptr<LiveSession>> live_sessions_;
};

}  // namespace evapo::server
