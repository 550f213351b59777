#include "listener.hpp"

#include <boost/asio/strand.hpp>

#include "http_session.hpp"

namespace evapo::sim {

namespace net = boost::asio;

Listener::Listener(net::io_context& io, const net::ip::tcp::endpoint& endpoint, Router& router)
    : io_(io), acceptor_(net::make_strand(io)), router_(router) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

void Listener::run() {
  do_accept();
}

void Listener::do_accept() {
  acceptor_.async_accept(
      net::make_strand(io_),
      [self = shared_from_this()](boost::system::error_code ec, net::ip::tcp::socket socket) {
        if (!ec) {
          socket.set_option(net::ip::tcp::no_delay(true), ec);
          self->router_.on_connection();
          std::make_shared<HttpSession>(std::move(socket), self->router_)->run();
        }
        if (ec != net::error::operation_aborted) self->do_accept();
      });
}

}  // namespace evapo::sim
