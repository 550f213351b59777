#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <evapo/server/http_types.hpp>
#include <evapo/server/live_session.hpp>
#include <evapo/server/ops_event_queue.hpp>
#include <evapo/server/ops_stream_request.hpp>
#include <evapo/tasks/subscription.hpp>

namespace evapo::server {

class ServerState;

/// WS /ws/events?topics=a,b&since=N: the operations channel. Each text message carries one
/// event, or several waiting ones, one JSON object per line ("\n" between them); a client splits
/// on newlines. Pings and the drop of a silent peer as the task sockets; a peer whose queue
/// overflows is closed with 1008 and resumes with since. Every handler runs on the connection's
/// strand.
class OpsWebSocketSession : public LiveSession,
                            public std::enable_shared_from_this<OpsWebSocketSession> {
 public:
  OpsWebSocketSession(boost::beast::tcp_stream&& stream, std::shared_ptr<ServerState> state,
                      OpsStreamRequest request);
  ~OpsWebSocketSession() override;

  /// Accepts the upgrade `request` and starts streaming.
  void run(HttpRequest request);

  void shutdown() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_drain();
  void do_write();
  void on_write(boost::beast::error_code ec);
  void close_with(boost::beast::websocket::close_code code, const char* reason);
  void finish();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<ServerState> state_;
  OpsStreamRequest request_;
  OpsEventQueue queue_;
  tasks::Subscription subscription_;
  std::vector<ops::OpsEventPtr> in_flight_;  // the events of the message being written
  std::vector<boost::asio::const_buffer> buffers_;
  std::unique_ptr<boost::asio::steady_timer> close_deadline_;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
  bool accepted_ = false;
};

}  // namespace evapo::server
