#include <charconv>

#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <evapo/server/exception_barrier.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/http_session.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/server/sse_session.hpp>
#include <evapo/server/websocket_session.hpp>
#include <evapo/tasks/task_id.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(30);
constexpr std::uint32_t kHeaderLimitBytes = 16 * 1024;

// ?since=SEQ (WebSocket) or the Last-Event-ID header (SSE reconnect); 0 (everything) otherwise.
std::optional<std::int64_t> parse_seq(std::string_view text) {
  if (text.empty()) return 0;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)), state_(std::move(state)) {
  beast::error_code ec;
  const auto peer = stream_.socket().remote_endpoint(ec);
  client_ = ec ? std::string("unknown") : peer.address().to_string();
  state_->connections().fetch_add(1);
}

HttpSession::~HttpSession() {
  state_->connections().fetch_sub(1);
}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(state_->config().body_limit_bytes);
  parser_->header_limit(kHeaderLimitBytes);
  stream_.expires_after(kRequestTimeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
  const auto start = std::chrono::steady_clock::now();
  if (ec == http::error::end_of_stream) return do_close();
  if (ec == http::error::body_limit) {
    method_ = std::string(parser_->get().method_string());
    HttpRequest head{parser_->get().method(), parser_->get().target(), parser_->get().version()};
    head.keep_alive(false);
    send(error_response(head, http::status::payload_too_large, "PAYLOAD_TOO_LARGE",
                        "the request body is larger than " +
                            std::to_string(state_->config().body_limit_bytes) + " bytes"),
         "body_too_large", start);
    return;
  }
  if (ec) return;  // timeout or reset: the socket closes with this session
  method_ = std::string(parser_->get().method_string());
  handle(parser_->release());
}

void HttpSession::handle(HttpRequest request) {
  const auto start = std::chrono::steady_clock::now();
  const std::string_view path = target_path(request.target());
  const RouteMatch match = state_->router().match(request.method(), path);

  if (match.route == nullptr) {
    if (auto file = state_->static_files().serve(request)) {
      return send(std::move(*file), "static", start);
    }
    if (match.path_known) {
      return send(error_response(request, http::status::method_not_allowed, "METHOD_NOT_ALLOWED",
                                 "method not allowed on this path"),
                  "method_not_allowed", start);
    }
    return send(error_response(request, http::status::not_found, "NOT_FOUND", "no such endpoint"),
                "not_found", start);
  }
  const Route& route = *match.route;
  // Ids are checked before anything copies them into a message or a query: any other bytes
  // (not UTF-8, too long) name no task.
  if (const auto id = match.params.find("task_id");
      id != match.params.end() && !tasks::is_task_id(id->second)) {
    return send(error_response(request, domain::Error::not_found("no task with this id")),
                route.name, start);
  }
  // During a graceful stop a keep-alive connection may still send a POST: a task accepted now
  // would only run after the restart, so the client is told to come back instead.
  if (state_->stopping() && request.method() == http::verb::post) {
    constexpr int kRetryAfterShutdownS = 5;
    HttpResponse response = error_response(
        request, domain::Error::unavailable("the server is shutting down; retry shortly"));
    response.set(http::field::retry_after, std::to_string(kRetryAfterShutdownS));
    return send(std::move(response), route.name, start);
  }
  if (route.limit == RateLimit::per_client) {
    if (const auto retry_after_s = state_->rate_limiter().acquire(client_)) {
      state_->metrics().rate_limited();
      HttpResponse response = error_response(request, http::status::too_many_requests,
                                             "RATE_LIMITED", "too many requests; retry later");
      response.set(http::field::retry_after, std::to_string(*retry_after_s));
      return send(std::move(response), route.name, start);
    }
  }
  if (route.kind != RouteKind::http)
    return hand_over(std::move(request), route, match.params.at("task_id"), start);
  send(call_guarded(route.handler, route.name, request, match.params), route.name, start);
}

// Validates a WebSocket / SSE request and gives the socket to its session, or answers it with
// an error (400, 404, 426, 503) and keeps the connection.
void HttpSession::hand_over(HttpRequest request, const Route& route, const std::string& task_id,
                            std::chrono::steady_clock::time_point start) {
  const bool websocket = route.kind == RouteKind::websocket;
  if (websocket && !beast::websocket::is_upgrade(request)) {
    return send(error_response(request, http::status::upgrade_required, "UPGRADE_REQUIRED",
                               "this endpoint speaks WebSocket only"),
                route.name, start);
  }
  std::string since_text(request["Last-Event-ID"]);
  if (websocket || since_text.empty()) since_text = query_parameter(request.target(), "since");
  const auto since = parse_seq(since_text);
  if (!since) {
    return send(error_response(request, http::status::bad_request, "BAD_REQUEST",
                               "invalid resume position", {{"since", "must be an integer >= 0"}}),
                route.name, start);
  }
  if (state_->stopping()) {
    return send(error_response(request, domain::Error::unavailable("server shutting down")),
                route.name, start);
  }
  auto record = state_->tasks().get(task_id);
  if (!record || !*record) {
    return send(
        error_response(request, record ? domain::Error::not_found("no task with id " + task_id)
                                       : record.error()),
        route.name, start);
  }
  state_->metrics().observe_request(route.name, std::string(request.method_string()),
                                    websocket ? 101U : 200U, seconds_since(start));
  if (websocket) {
    std::make_shared<WebSocketSession>(std::move(stream_), state_, task_id, *since)
        ->run(std::move(request));
  } else {
    std::make_shared<SseSession>(std::move(stream_), state_, task_id, *since)->run();
  }
}

void HttpSession::send(HttpResponse response, const std::string& route_name,
                       std::chrono::steady_clock::time_point start) {
  state_->metrics().observe_request(route_name, method_, response.result_int(),
                                    seconds_since(start));
  response_ = std::make_shared<HttpResponse>(std::move(response));
  const bool keep_alive = response_->keep_alive() && !state_->stopping();
  response_->keep_alive(keep_alive);
  http::async_write(stream_, *response_,
                    [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                      self->on_write(keep_alive, ec);
                    });
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec) {
  response_.reset();
  if (ec) return;
  if (!keep_alive) return do_close();
  do_read();
}

void HttpSession::do_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace evapo::server
