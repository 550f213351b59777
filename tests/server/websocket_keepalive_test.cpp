// WebSocket keep-alive (issue 4 section 3): the server pings every ws_ping_interval_s and drops a
// peer that stayed silent for two intervals. The interval is 1 s here and the watched task is
// held at the fake's gate, so only the keep-alive can end a connection early.

#include <array>
#include <chrono>
#include <functional>
#include <regex>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

using tcp = net::ip::tcp;
namespace websocket = beast::websocket;

using std::chrono::milliseconds;
using std::chrono::steady_clock;

ServerConfig one_second_pings() {
  ServerConfig config;
  config.ws_ping_interval_s = 1;
  return config;
}

/// A WebSocket upgraded on `target` over a real socket, with no timeouts of its own.
void connect_websocket(websocket::stream<beast::tcp_stream>& ws, std::uint16_t port,
                       const std::string& target) {
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(5));
  beast::get_lowest_layer(ws).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  ws.handshake("127.0.0.1", target);
  beast::get_lowest_layer(ws).expires_never();
}

/// The server's evapo_websocket_connections gauge (-1 when /metrics has none).
long websocket_connections(std::uint16_t port) {
  const auto metrics = http_get(port, "/metrics").body;
  std::smatch match;
  static const std::regex gauge("\nevapo_websocket_connections ([0-9]+)\n");
  return std::regex_search(metrics, match, gauge) ? std::stol(match[1]) : -1;
}

TEST(WebSocketKeepAlive, AReadingClientIsPingedEveryIntervalAndStaysConnected) {
  RunningServer server(one_second_pings());
  server.fake().close_gate();
  const auto id = server.submit();

  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws(ioc);
  connect_websocket(ws, server.port(), "/ws/task_status/" + id);
  int pings = 0;
  ws.control_callback([&pings](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::ping) ++pings;
  });
  // A pending read is what answers the server's pings (Beast sends the pong).
  std::vector<nlohmann::json> events;
  beast::error_code read_error;
  beast::flat_buffer buffer;
  std::function<void()> read_next = [&] {
    ws.async_read(buffer, [&](beast::error_code ec, std::size_t) {
      if (ec) {
        read_error = ec;
        return;
      }
      events.push_back(nlohmann::json::parse(beast::buffers_to_string(buffer.data())));
      buffer.clear();
      read_next();
    });
  };
  read_next();

  // Until two pings came (a loaded machine may take longer than 2 s, never less).
  const auto connected = steady_clock::now();
  const auto give_up = connected + std::chrono::seconds(60);
  while (pings < 2 && !read_error && steady_clock::now() < give_up) {
    ioc.run_for(milliseconds(50));
  }
  const auto elapsed = steady_clock::now() - connected;
  EXPECT_FALSE(read_error) << "dropped while answering pings: " << read_error.message();
  EXPECT_GE(pings, 2) << "pings every second expected";
  EXPECT_GE(elapsed, milliseconds(1500)) << "pinged more often than every second";

  // Still a working connection: the rest of the task arrives and ends with a normal close.
  server.fake().open_gate();
  const auto finish_by = steady_clock::now() + std::chrono::seconds(60);
  while (!read_error && steady_clock::now() < finish_by) ioc.run_for(milliseconds(50));
  EXPECT_EQ(read_error, websocket::error::closed) << read_error.message();
  EXPECT_EQ(ws.reason().code, websocket::close_code::normal);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().at("type"), "SUCCESS");
}

TEST(WebSocketKeepAlive, AClientThatNeverAnswersPingsIsDroppedAfterTwoIntervals) {
  RunningServer server(one_second_pings());
  server.fake().close_gate();
  const auto id = server.submit();

  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws(ioc);
  connect_websocket(ws, server.port(), "/ws/task_status/" + id);
  const auto silent_since = steady_clock::now();
  // From here on only the TCP layer is read: pings arrive but no pong (no byte at all) is sent.
  auto& socket = beast::get_lowest_layer(ws);
  socket.expires_after(std::chrono::seconds(60));  // only if the server never drops us
  std::array<char, 4096> bytes{};
  beast::error_code end;
  std::function<void()> drain = [&] {
    socket.async_read_some(net::buffer(bytes), [&](beast::error_code ec, std::size_t) {
      if (ec) {
        end = ec;
        return;
      }
      drain();
    });
  };
  drain();
  ioc.run();
  const auto silent_for =
      std::chrono::duration_cast<milliseconds>(steady_clock::now() - silent_since);

  EXPECT_TRUE(end == net::error::eof || end == net::error::connection_reset)
      << "expected the server to close the socket, got: " << end.message();
  EXPECT_GE(silent_for, milliseconds(1500)) << "dropped before two ping intervals";

  long open = websocket_connections(server.port());
  const auto give_up = steady_clock::now() + std::chrono::seconds(30);
  while (open != 0 && steady_clock::now() < give_up) {
    std::this_thread::sleep_for(milliseconds(10));
    open = websocket_connections(server.port());
  }
  EXPECT_EQ(open, 0) << "the server still counts the dropped peer";
}

}  // namespace
}  // namespace evapo::server::testing
