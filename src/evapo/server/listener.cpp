#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include <evapo/server/http_session.hpp>
#include <evapo/server/listener.hpp>
#include <evapo/server/server_state.hpp>

namespace evapo::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, std::shared_ptr<ServerState> state)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      retry_timer_(acceptor_.get_executor()),
      state_(std::move(state)) {}

domain::Expected<tcp::endpoint> Listener::open(const tcp::endpoint& endpoint) {
  boost::beast::error_code ec;
  auto failed = [&](const char* what) {
    return domain::fail(domain::Error::unavailable(
        std::string("cannot ") + what + " " + endpoint.address().to_string() + ":" +
        std::to_string(endpoint.port()) + ": " + ec.message()));
  };
  if (acceptor_.open(endpoint.protocol(), ec); ec) return failed("open");
  if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec)
    return failed("configure");
  if (acceptor_.bind(endpoint, ec); ec) return failed("bind");
  if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec)
    return failed("listen on");
  auto bound = acceptor_.local_endpoint(ec);
  if (ec) return failed("query");
  return bound;
}

void Listener::run() {
  do_accept();
}

void Listener::stop() {
  net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::beast::error_code ignored;
    self->retry_timer_.cancel();
    self->acceptor_.close(ignored);
  });
}

void Listener::do_accept() {
  // The new connection gets its own strand.
  acceptor_.async_accept(net::make_strand(ioc_), boost::beast::bind_front_handler(
                                                     &Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(boost::beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // EMFILE and friends: wait a little for descriptors to free up rather than spin.
    retry_timer_.expires_after(std::chrono::milliseconds(50));
    retry_timer_.async_wait([self = shared_from_this()](boost::beast::error_code wait_ec) {
      if (!wait_ec) self->do_accept();
    });
    return;
  }
  if (state_->connections().load() >= state_->config().max_connections) {
    boost::beast::error_code ignored;
    socket.close(ignored);
  } else {
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<HttpSession>(std::move(socket), state_)->run();
  }
  do_accept();
}

}  // namespace evapo::server
