#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <evapo/server/live_session.hpp>
#include <evapo/server/ops_event_queue.hpp>
#include <evapo/server/ops_stream_request.hpp>
#include <evapo/tasks/subscription.hpp>

namespace evapo::server {

class ServerState;

/// GET /api/v1/events/stream?topics=a,b&since=N: the operations channel as Server-Sent Events
/// ("id: SEQ / event: TYPE / data: JSON" each), resuming after the Last-Event-ID header (or
/// since); a ": ping" comment every ws_ping_interval_s; a too-slow reader is disconnected.
class OpsSseSession : public LiveSession, public std::enable_shared_from_this<OpsSseSession> {
 public:
  OpsSseSession(boost::beast::tcp_stream&& stream, std::shared_ptr<ServerState> state,
                OpsStreamRequest request);
  ~OpsSseSession() override;

  /// Sends the response head and starts streaming.
  void run();

  void shutdown() override;

 private:
  void on_drain();
  void do_write();
  void on_write(boost::beast::error_code ec);
  void schedule_ping();
  void watch_peer();
  void finish();

  boost::beast::tcp_stream stream_;
  std::shared_ptr<ServerState> state_;
  OpsStreamRequest request_;
  OpsEventQueue queue_;
  tasks::Subscription subscription_;
  boost::asio::steady_timer ping_timer_;
  std::string out_;  // the bytes being written
  bool head_sent_ = false;
  bool ping_due_ = false;
  char peer_byte_ = 0;
  bool writing_ = false;
  bool finished_ = false;
};

}  // namespace evapo::server
