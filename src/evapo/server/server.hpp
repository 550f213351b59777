#pragma once

#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/server/config.hpp>

namespace evapo::tasks {
class TaskService;
}
namespace evapo::sources {
class LandMask;
}

namespace evapo::ops {
class Operations;
}

namespace evapo::server {

class Listener;
class MetricsRegistry;
class Router;
class ServerState;
struct WorkspaceServices;
class PlaceSearchService;

/// What `evapo serve` adds from the layers below; a test may leave any of it out. Whatever is
/// given is not owned and must outlive the server.
struct ServerServices {
  /// Land polygons: a calculation over the sea is refused with 422 over_sea before it is
  /// queued (pipeline/over_sea.hpp). Null: not checked here.
  std::shared_ptr<const sources::LandMask> land{};
  /// Place search behind GET /api/v1/geocoding/search; null: no such route.
  PlaceSearchService* places = nullptr;
  /// The operations channel and dashboard API (/ws/events, /api/v1/ops/...); null: 404.
  ops::Operations* operations = nullptr;
  /// The stores of datasets, sites and workspaces; null: those endpoints are absent.
  WorkspaceServices* workspaces = nullptr;
};

/// The HTTP + WebSocket + SSE front of `evapo serve` on one port. It does not own the task
/// service: the caller starts and stops that (see serve.hpp for the whole sequence).
class Server {
 public:
  /// Builds the routes; nothing listens yet.
  Server(ServerConfig config, tasks::TaskService& tasks, ServerServices services = {});
  ~Server();  // stop() if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds config.host:config.port and starts config.io_threads network threads. Returns the
  /// bound port (useful with port 0). Errors: unavailable when the address cannot be bound.
  domain::Expected<std::uint16_t> start();

  /// First half of a graceful stop: no new connections, /readyz turns 503. Live WebSocket/SSE
  /// peers keep receiving their task's events, so a task that finishes in the grace period
  /// reaches its watchers. Thread-safe, idempotent.
  void stop_accepting();

  /// stop_accepting(); live peers still open get a going-away close (they resume with ?since=
  /// after a restart), given up to a second to go out; then ends the network threads.
  void stop();

  /// The route table (the OpenAPI test reads it) and the metrics registry.
  const Router& router() const;
  MetricsRegistry& metrics();

 private:
  boost::asio::io_context ioc_;
  boost::asio::thread_pool blocking_pool_;  // RunOn::blocking_pool handlers
  std::shared_ptr<ServerState> state_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> threads_;
};

}  // namespace evapo::server
