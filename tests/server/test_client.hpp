#pragma once

// A small synchronous HTTP / WebSocket client over Beast for the server tests: real sockets,
// real protocol, nothing mocked.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace evapo::server::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct HttpResult {
  unsigned status = 0;
  std::string body;
  http::fields headers;

  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

/// One request on a fresh connection.
inline HttpResult http_call(std::uint16_t port, http::verb method, const std::string& target,
                            const std::string& body = {},
                            const std::map<std::string, std::string>& headers = {}) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(60));
  beast::error_code connect_ec;
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), connect_ec);
  if (connect_ec) return {};  // status 0: nobody listening
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || method == http::verb::post) {
    if (request.find(http::field::content_type) == request.end()) {
      request.set(http::field::content_type, "application/json");
    }
    request.body() = body;
    request.prepare_payload();
  }
  beast::error_code ec;
  http::write(stream, request, ec);  // reset by a listener closing as we connected: status 0
  if (ec) return {};
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(stream, buffer, parser, ec);
  HttpResult result;
  if (ec) return result;
  result.status = parser.get().result_int();
  result.body = parser.get().body();
  result.headers = parser.get().base();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return result;
}

/// Sends `bytes` as they are (a request no well-behaved client would write) on a fresh
/// connection and reads one response; status 0 when the server closed without answering.
inline HttpResult http_raw(std::uint16_t port, const std::string& bytes) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  beast::error_code ec;
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return {};
  net::write(stream, net::buffer(bytes), ec);
  if (ec) return {};
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(stream, buffer, parser, ec);
  HttpResult result;
  if (ec) return result;
  result.status = parser.get().result_int();
  result.body = parser.get().body();
  result.headers = parser.get().base();
  return result;
}

inline HttpResult http_get(std::uint16_t port, const std::string& target) {
  return http_call(port, http::verb::get, target);
}

inline HttpResult http_post(std::uint16_t port, const std::string& target,
                            const std::string& body) {
  return http_call(port, http::verb::post, target, body);
}

/// A WebSocket client on /ws/task_status/{id}.
class WsClient {
 public:
  /// Connects and upgrades; `receive_buffer_bytes` > 0 shrinks the socket's receive buffer
  /// (to make a slow consumer quickly).
  explicit WsClient(std::uint16_t port, const std::string& target, int receive_buffer_bytes = 0)
      : ws_(ioc_) {
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.open(tcp::v4());
    if (receive_buffer_bytes > 0)
      socket.set_option(net::socket_base::receive_buffer_size(receive_buffer_bytes));
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(60));
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    ws_.handshake("127.0.0.1", target);
    beast::get_lowest_layer(ws_).expires_never();
  }

  /// The next text message, or nullopt once the connection closed (see close_code()).
  // Deadlines are generous: CI is a loaded 2-core machine, and a test waits on the event, not on
  // the clock.
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    beast::get_lowest_layer(ws_).expires_after(timeout);
    beast::flat_buffer buffer;
    beast::error_code ec;
    ws_.read(buffer, ec);
    if (ec) {
      error_ = ec;
      return std::nullopt;
    }
    return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
  }

  /// The next text message as text, or nullopt once the connection closed.
  std::optional<std::string> next_text(
      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    beast::get_lowest_layer(ws_).expires_after(timeout);
    beast::flat_buffer buffer;
    beast::error_code ec;
    ws_.read(buffer, ec);
    if (ec) {
      error_ = ec;
      return std::nullopt;
    }
    return beast::buffers_to_string(buffer.data());
  }

  /// Every message until the server closes.
  std::vector<nlohmann::json> read_all(
      std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    std::vector<nlohmann::json> messages;
    for (int i = 0; i < 100000; ++i) {
      auto message = next(timeout);
      if (!message) break;
      messages.push_back(std::move(*message));
    }
    return messages;
  }

  /// The close code the server sent (0 when it did not close politely).
  int close_code() const {
    return error_ == websocket::error::closed ? static_cast<int>(ws_.reason().code) : 0;
  }
  std::string close_reason() const { return std::string(ws_.reason().reason.c_str()); }
  beast::error_code error() const { return error_; }

  void close() {
    beast::error_code ignored;
    ws_.close(websocket::close_code::normal, ignored);
  }

 private:
  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::error_code error_;
};

/// Sequence numbers of `events`.
inline std::vector<std::int64_t> seqs(const std::vector<nlohmann::json>& events) {
  std::vector<std::int64_t> out;
  for (const auto& event : events) out.push_back(event.at("seq").get<std::int64_t>());
  return out;
}

}  // namespace evapo::server::testing
