#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <evapo/server/http_types.hpp>
#include <evapo/server/router.hpp>

namespace evapo::server {

class ServerState;

/// One HTTP/1.1 connection: reads a request (header and body limits, 30 s timeout), routes it
/// (API handler, static file, 404/405/429), writes the answer and reads the next while the client
/// keeps the connection alive. A WebSocket upgrade or an SSE request hands the socket over to a
/// WebSocketSession / SseSession (a task's) or OpsWebSocketSession / OpsSseSession (the
/// operations channel's), an upload route to an UploadSession once the header is read. Runs on
/// its own strand.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerState> state);
  ~HttpSession();

  void run();

 private:
  void do_read();
  void on_header(boost::beast::error_code ec);
  void on_read(boost::beast::error_code ec);
  void refuse_too_large(std::chrono::steady_clock::time_point start);
  void hand_over_upload(const Route& route, PathParams params,
                        std::chrono::steady_clock::time_point start);
  HttpResponse forbidden_host(const HttpRequest& request);
  std::optional<HttpResponse> refuse_by_route_rules(const HttpRequest& request, const Route& route,
                                                    const PathParams& params);
  void hand_over_operations(HttpRequest request, const Route& route,
                            std::chrono::steady_clock::time_point start);
  void refuse_unparsed(boost::beast::http::status status, std::string_view code,
                       std::string_view message, std::chrono::steady_clock::time_point start);
  void handle(HttpRequest request);
  void run_blocking(const Route& route, HttpRequest request, PathParams params,
                    std::chrono::steady_clock::time_point start);
  void hand_over(HttpRequest request, const Route& route, const std::string& task_id,
                 std::chrono::steady_clock::time_point start);
  std::optional<HttpResponse> check_live_request(const HttpRequest& request, const Route& route,
                                                 const std::string& task_id, std::int64_t& since);
  void start_live_session(HttpRequest request, const Route& route, const std::string& task_id,
                          std::int64_t since, std::chrono::steady_clock::time_point start);
  void release_blocking_slot();
  void send(HttpResponse response, const std::string& route_name,
            std::chrono::steady_clock::time_point start);
  void on_write(bool keep_alive, boost::beast::error_code ec);
  void do_close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  // The header is read first (header_parser_); then the body whole (parser_, within the body
  // limit), or an upload session takes the connection.
  std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> header_parser_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<ServerState> state_;
  std::shared_ptr<HttpResponse> response_;  // alive until its write completes
  std::string client_;                      // peer address, the rate limiter's key
  std::string method_;                      // of the request being answered (metrics label)
  std::string cors_origin_;                 // of the request being answered; empty: no CORS
  bool head_request_ = false;               // answer without the body
  bool holds_blocking_slot_ = false;        // see ServerState::try_begin_blocking
};

}  // namespace evapo::server
