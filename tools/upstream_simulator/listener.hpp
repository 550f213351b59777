#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "router.hpp"

namespace evapo::sim {

/// Accepts connections and gives each its own strand and HttpSession.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  /// Binds and listens; throws boost::system::system_error when the port is taken (start-up).
  Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
           Router& router);

  /// The bound port (useful with port 0).
  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  void run();

 private:
  void do_accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Router& router_;
};

}  // namespace evapo::sim
