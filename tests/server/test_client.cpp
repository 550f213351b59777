#include "test_client.hpp"

#include <cstdio>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace evapo::server::testing {

namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

HttpResult read_response(beast::tcp_stream& stream, beast::error_code& ec) {
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

}  // namespace

HttpResult http_call(std::uint16_t port, http::verb method, const std::string& target,
                     const std::string& body, const std::map<std::string, std::string>& headers) {
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
  HttpResult result = read_response(stream, ec);
  if (ec) return result;
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return result;
}

HttpResult http_raw(std::uint16_t port, const std::string& bytes) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  beast::error_code ec;
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return {};
  net::write(stream, net::buffer(bytes), ec);
  if (ec) return {};
  return read_response(stream, ec);
}

HttpResult send_raw(std::uint16_t port, const RawUpload& upload) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(60));
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  std::string head = "POST " + upload.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  head += "Authorization: Bearer " + upload.key + "\r\n";
  head += "Content-Type: " + upload.content_type + "\r\n";
  if (!upload.origin.empty()) head += "Origin: " + upload.origin + "\r\n";
  if (upload.content_length) {
    head += "Content-Length: " + std::to_string(*upload.content_length) + "\r\n";
  } else {
    head += "Transfer-Encoding: chunked\r\n";
  }
  head += "\r\n";
  beast::error_code ec;
  net::write(stream, net::buffer(head), ec);
  if (upload.wait_for_answer_before_body) return read_response(stream, ec);
  for (const auto& piece : upload.pieces) {
    if (upload.content_length) {
      net::write(stream, net::buffer(piece), ec);
    } else {
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
      net::write(stream, net::buffer(std::string(size) + piece + "\r\n"), ec);
    }
    if (ec) return {};
    if (upload.pause.count() > 0) std::this_thread::sleep_for(upload.pause);
  }
  if (upload.close_early) {
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream.close();
    return {};
  }
  if (!upload.content_length) net::write(stream, net::buffer(std::string("0\r\n\r\n")), ec);
  return read_response(stream, ec);
}

struct WsClient::Connection {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
};

WsClient::WsClient(std::uint16_t port, const std::string& target, int receive_buffer_bytes)
    : connection_(std::make_unique<Connection>()) {
  auto& ws = connection_->ws;
  auto& socket = beast::get_lowest_layer(ws).socket();
  socket.open(tcp::v4());
  if (receive_buffer_bytes > 0)
    socket.set_option(net::socket_base::receive_buffer_size(receive_buffer_bytes));
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(60));
  beast::get_lowest_layer(ws).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  ws.handshake("127.0.0.1", target);
  beast::get_lowest_layer(ws).expires_never();
}

WsClient::~WsClient() = default;

std::optional<std::string> WsClient::next_text(std::chrono::milliseconds timeout) {
  auto& ws = connection_->ws;
  beast::get_lowest_layer(ws).expires_after(timeout);
  beast::flat_buffer buffer;
  beast::error_code ec;
  ws.read(buffer, ec);
  if (ec) {
    error_ = ec;
    return std::nullopt;
  }
  return beast::buffers_to_string(buffer.data());
}

std::optional<nlohmann::json> WsClient::next(std::chrono::milliseconds timeout) {
  auto text = next_text(timeout);
  if (!text) return std::nullopt;
  return nlohmann::json::parse(*text);
}

std::vector<nlohmann::json> WsClient::read_all(std::chrono::milliseconds timeout) {
  std::vector<nlohmann::json> messages;
  for (int i = 0; i < 100000; ++i) {
    auto message = next(timeout);
    if (!message) break;
    messages.push_back(std::move(*message));
  }
  return messages;
}

int WsClient::close_code() const {
  return error_ == websocket::error::closed ? static_cast<int>(connection_->ws.reason().code) : 0;
}

std::string WsClient::close_reason() const {
  return std::string(connection_->ws.reason().reason.c_str());
}

void WsClient::close() {
  beast::error_code ignored;
  connection_->ws.close(websocket::close_code::normal, ignored);
}

std::vector<std::int64_t> seqs(const std::vector<nlohmann::json>& events) {
  std::vector<std::int64_t> out;
  for (const auto& event : events) out.push_back(event.at("seq").get<std::int64_t>());
  return out;
}

}  // namespace evapo::server::testing
