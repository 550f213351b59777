#pragma once

#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "router.hpp"

namespace evapo::sim {

/// One client connection: reads requests (keep-alive), asks the router, waits the simulated
/// delay on a timer (never blocking a thread), then writes, resets or truncates as told.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, Router& router);
  void run();

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void send();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  boost::asio::steady_timer timer_;
  Router& router_;
  SimResponse pending_;
  std::string out_;
  bool keep_alive_ = true;
};

}  // namespace evapo::sim
