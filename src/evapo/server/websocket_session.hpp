#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/server/http_types.hpp>
#include <evapo/server/live_session.hpp>
#include <evapo/server/send_queue.hpp>
#include <evapo/tasks/subscription.hpp>

namespace evapo::server {

class ServerState;

/// WS /ws/task_status/{task_id}[?since=SEQ]: sends the task's events after SEQ (all by default)
/// then the live ones, one text frame each, and closes normally (1000) after the terminal event.
/// Pings after ws_ping_interval_s of silence and drops a peer silent for two intervals; a peer
/// whose bounded send queue overflows is closed with 1008 "send queue full" (memory stays
/// bounded). Every handler runs on the connection's strand.
class WebSocketSession : public LiveSession, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(boost::beast::tcp_stream&& stream, std::shared_ptr<ServerState> state,
                   std::string task_id, std::int64_t since_seq);
  ~WebSocketSession() override;

  /// Accepts the upgrade `request` and starts streaming.
  void run(HttpRequest request);

  void shutdown() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void on_subscribed(domain::Expected<tasks::Subscription> subscribed);
  void do_read();
  void on_read(boost::beast::error_code ec);
  void on_event(SendQueue::Message text, bool terminal);
  void do_write();
  void on_write(boost::beast::error_code ec);
  void close_with(boost::beast::websocket::close_code code, const char* reason);
  void finish();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<ServerState> state_;
  std::string task_id_;
  std::int64_t since_seq_;
  SendQueue queue_;
  tasks::Subscription subscription_;
  std::unique_ptr<boost::asio::steady_timer> close_deadline_;  // only while closing
  bool writing_ = false;
  bool terminal_queued_ = false;
  bool closing_ = false;
  bool finished_ = false;
  bool accepted_ = false;
};

}  // namespace evapo::server
