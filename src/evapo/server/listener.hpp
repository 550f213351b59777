#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <evapo/domain/error.hpp>

namespace evapo::server {

class ServerState;

/// Accepts connections and starts an HttpSession for each, on a strand of its own. Beyond
/// config().max_connections a new socket is closed at once; when the process runs out of file
/// descriptors, accepting pauses briefly instead of spinning.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, std::shared_ptr<ServerState> state);

  /// Binds and listens. Errors: unavailable when the address cannot be bound.
  domain::Expected<boost::asio::ip::tcp::endpoint> open(
      const boost::asio::ip::tcp::endpoint& endpoint);

  void run();

  /// Stops accepting (thread-safe).
  void stop();

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  std::shared_ptr<ServerState> state_;
};

}  // namespace evapo::server
