#pragma once

namespace evapo::server {

/// A long-lived connection (WebSocket, SSE) the server must close on shutdown.
class LiveSession {
 public:
  virtual ~LiveSession() = default;

  /// Closes the connection politely (WebSocket 1001 "going away"); thread-safe, idempotent.
  virtual void shutdown() = 0;
};

}  // namespace evapo::server
