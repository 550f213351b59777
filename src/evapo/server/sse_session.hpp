#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/server/live_session.hpp>
#include <evapo/server/send_queue.hpp>
#include <evapo/tasks/subscription.hpp>

namespace evapo::server {

class ServerState;

/// GET /api/v1/tasks/{task_id}/events as Server-Sent Events: each task event as
/// "id: SEQ / event: TYPE / data: JSON", resuming after the Last-Event-ID header (or ?since=);
/// a ": ping" comment every ws_ping_interval_s; the response ends (connection closed) after the
/// terminal event. Same bounded send queue as WebSocket: a too-slow reader is disconnected.
class SseSession : public LiveSession, public std::enable_shared_from_this<SseSession> {
 public:
  SseSession(boost::beast::tcp_stream&& stream, std::shared_ptr<ServerState> state,
             std::string task_id, std::int64_t since_seq);
  ~SseSession() override;

  /// Sends the response head and starts streaming.
  void run();

  void shutdown() override;

 private:
  void on_subscribed(domain::Expected<tasks::Subscription> subscribed);
  void on_event(SendQueue::Message text, bool terminal);
  void enqueue(SendQueue::Message text);
  void do_write();
  void on_write(boost::beast::error_code ec);
  void schedule_ping();
  void watch_peer();
  void finish();

  boost::beast::tcp_stream stream_;
  std::shared_ptr<ServerState> state_;
  std::string task_id_;
  std::int64_t since_seq_;
  SendQueue queue_;
  tasks::Subscription subscription_;
  boost::asio::steady_timer ping_timer_;
  char peer_byte_ = 0;
  bool writing_ = false;
  bool terminal_queued_ = false;
  bool finished_ = false;
};

}  // namespace evapo::server
