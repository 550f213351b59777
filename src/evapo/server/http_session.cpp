#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <evapo/server/exception_barrier.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/http_session.hpp>
#include <evapo/server/ops_sse_session.hpp>
#include <evapo/server/ops_stream_request.hpp>
#include <evapo/server/ops_websocket_session.hpp>
#include <evapo/server/response_headers.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/server/sse_session.hpp>
#include <evapo/server/upload_session.hpp>
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
constexpr std::size_t kTargetLimitBytes = 8 * 1024;

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
  release_blocking_slot();
  state_->connections().fetch_sub(1);
}

void HttpSession::release_blocking_slot() {
  if (!holds_blocking_slot_) return;
  holds_blocking_slot_ = false;
  state_->end_blocking();
}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  header_parser_.emplace();
  header_parser_->header_limit(kHeaderLimitBytes);
  header_parser_->body_limit(boost::none);  // checked once the route is known
  stream_.expires_after(kRequestTimeout);
  http::async_read_header(
      stream_, buffer_, *header_parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

// The header comes first: an upload route takes the body as it arrives (UploadSession), the
// others get it whole, within body_limit_bytes.
void HttpSession::on_header(beast::error_code ec) {
  const auto start = std::chrono::steady_clock::now();
  cors_origin_.clear();
  head_request_ = false;
  if (ec == http::error::end_of_stream) return do_close();
  if (ec == http::error::header_limit) {
    // The parser keeps the unparsed head in the buffer: no line end yet means the request line
    // alone (the URL) is too long.
    const std::string_view received(static_cast<const char*>(buffer_.cdata().data()),
                                    buffer_.size());
    const bool url = received.find("\r\n") == std::string_view::npos;
    method_ = std::string(received.substr(0, std::min<std::size_t>(received.find(' '), 16)));
    return refuse_unparsed(
        url ? http::status::uri_too_long : http::status::request_header_fields_too_large,
        url ? "URI_TOO_LONG" : "HEADERS_TOO_LARGE",
        url ? "the request URL is too long" : "the request headers are too large", start);
  }
  if (ec) return;  // timeout, reset or a malformed head: the socket closes with this session
  const auto& head = header_parser_->get();
  method_ = std::string(head.method_string());
  if (head.target().size() > kTargetLimitBytes) {
    return refuse_unparsed(http::status::uri_too_long, "URI_TOO_LONG",
                           "the request URL is too long", start);
  }
  const RouteMatch match = state_->router().match(head.method(), target_path(head.target()));
  if (match.route != nullptr && match.route->kind == RouteKind::upload) {
    return hand_over_upload(*match.route, match.params, start);
  }
  const auto length = header_parser_->content_length();
  parser_.emplace(std::move(*header_parser_));
  header_parser_.reset();
  if (length && *length > state_->config().body_limit_bytes) return refuse_too_large(start);
  parser_->body_limit(state_->config().body_limit_bytes);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code read_ec, std::size_t) {
                     self->on_read(read_ec);
                   });
}

void HttpSession::on_read(beast::error_code ec) {
  if (ec == http::error::body_limit) return refuse_too_large(std::chrono::steady_clock::now());
  if (ec) return;  // timeout or reset: the socket closes with this session
  handle(parser_->release());
}

void HttpSession::refuse_too_large(std::chrono::steady_clock::time_point start) {
  HttpRequest head{parser_->get().method(), parser_->get().target(), parser_->get().version()};
  head.keep_alive(false);
  send(error_response(head, http::status::payload_too_large, "PAYLOAD_TOO_LARGE",
                      "the request body is larger than " +
                          std::to_string(state_->config().body_limit_bytes) + " bytes"),
       "body_too_large", start);
}

// A station file upload: the same rules as any route (host, Origin, access, rate), checked from
// the header; its session answers a refusal itself so that the unread body is drained, not reset.
void HttpSession::hand_over_upload(const Route& route, PathParams params,
                                   std::chrono::steady_clock::time_point start) {
  HttpRequest head(header_parser_->get().base());
  head.keep_alive(false);
  std::optional<HttpResponse> refusal;
  if (!state_->access().host_allowed(head)) {
    refusal = forbidden_host(head);
  } else {
    refusal = refuse_by_route_rules(head, route, params);
  }
  auto upload = std::make_shared<UploadSession>(std::move(stream_), std::move(buffer_),
                                                std::move(*header_parser_), state_, route,
                                                std::move(params), start);
  upload->run(std::move(refusal), state_->access().cors_origin(head));
}

// Answers a request that cannot be handled (its head was refused) and closes the connection.
void HttpSession::refuse_unparsed(http::status status, std::string_view code,
                                  std::string_view message,
                                  std::chrono::steady_clock::time_point start) {
  HttpRequest head{http::verb::get, "/", 11};
  head.keep_alive(false);
  send(error_response(head, status, code, message), "refused_head", start);
}

void HttpSession::handle(HttpRequest request) {
  const auto start = std::chrono::steady_clock::now();
  const std::string_view path = target_path(request.target());
  const RouteMatch match = state_->router().match(request.method(), path);
  const AccessPolicy& access = state_->access();
  cors_origin_ = access.cors_origin(request);
  head_request_ = request.method() == http::verb::head;

  if (!access.host_allowed(request)) return send(forbidden_host(request), "forbidden_host", start);
  if (access.is_preflight_allowed(request) && !match.allow.empty()) {
    HttpResponse response{http::status::no_content, request.version()};
    response.set(http::field::access_control_allow_methods, match.allow);
    response.set(http::field::access_control_allow_headers, "Content-Type, Authorization");
    response.set(http::field::access_control_max_age, "600");
    response.keep_alive(request.keep_alive());
    return send(std::move(response), "cors_preflight", start);
  }
  if (match.route == nullptr) {
    if (auto file = state_->static_files().serve(request)) {
      return send(std::move(*file), "static", start);
    }
    if (!match.allow.empty()) {
      HttpResponse response =
          error_response(request, http::status::method_not_allowed, "METHOD_NOT_ALLOWED",
                         "method not allowed on this path");
      response.set(http::field::allow, match.allow);
      return send(std::move(response), "method_not_allowed", start);
    }
    return send(error_response(request, http::status::not_found, "NOT_FOUND", "no such endpoint"),
                "not_found", start);
  }
  const Route& route = *match.route;
  if (auto refusal = refuse_by_route_rules(request, route, match.params)) {
    return send(std::move(*refusal), route.name, start);
  }
  if (route.async_handler) {
    // The answer comes from another thread; the session waits for it before reading on.
    bool started = false;
    guarded(route.name, [&] {
      route.async_handler(
          request, match.params,
          [self = shared_from_this(), name = route.name, start](HttpResponse response) {
            net::post(self->stream_.get_executor(),
                      [self, name, start, response = std::move(response)]() mutable {
                        self->send(std::move(response), name, start);
                      });
          });
      started = true;
    });
    if (!started) {
      send(error_response(request, domain::Error::internal("internal error")), route.name, start);
    }
    return;
  }
  if (route.kind == RouteKind::ops_websocket || route.kind == RouteKind::ops_sse) {
    return hand_over_operations(std::move(request), route, start);
  }
  if (route.kind == RouteKind::http && route.run_on == RunOn::io_thread) {
    return send(call_guarded(route.handler, route.name, request, match.params), route.name, start);
  }
  // A live request's check answers nothing large: it takes no slot (20,000 watchers may connect
  // at once); an answer from the store may be large, so those are bounded.
  if (route.kind != RouteKind::http) {
    return hand_over(std::move(request), route, match.params.at("task_id"), start);
  }
  if (!state_->try_begin_blocking()) {
    HttpResponse response = error_response(request, http::status::service_unavailable, "BUSY",
                                           "too many requests in progress; retry shortly");
    response.set(http::field::retry_after, "1");
    return send(std::move(response), route.name, start);
  }
  holds_blocking_slot_ = true;
  run_blocking(route, std::move(request), match.params, start);
}

HttpResponse HttpSession::forbidden_host(const HttpRequest& request) {
  return error_response(request, http::status::forbidden, "FORBIDDEN_HOST",
                        "this server does not answer to that host name; its operator can add it "
                        "with EVAPO_ALLOWED_ORIGINS");
}

// The rules every route's requests pass before their handler: Origin, access, ids, shutdown and
// the rate limit.
std::optional<HttpResponse> HttpSession::refuse_by_route_rules(const HttpRequest& request,
                                                               const Route& route,
                                                               const PathParams& params) {
  const AccessPolicy& access = state_->access();
  // A page on another site may make a browser send requests here (with the user's network
  // position): whatever changes state, and every WebSocket upgrade, must come from an origin
  // this server trusts.
  const bool safe_method =
      request.method() == http::verb::get || request.method() == http::verb::head;
  const bool websocket =
      route.kind == RouteKind::websocket || route.kind == RouteKind::ops_websocket;
  if ((!safe_method || websocket) && !access.origin_allowed(request)) {
    return error_response(request, http::status::forbidden, "FORBIDDEN_ORIGIN",
                          "cross-origin request refused; the server's operator can allow an "
                          "origin with EVAPO_ALLOWED_ORIGINS");
  }
  if (auto refusal = access.refuse(route.access, request, client_)) return refusal;
  // Ids are checked before anything copies them into a message or a query: any other bytes
  // (not UTF-8, too long) name no task.
  if (const auto id = params.find("task_id");
      id != params.end() && !tasks::is_task_id(id->second)) {
    return error_response(request, domain::Error::not_found("no task with this id"));
  }
  // During a graceful stop a keep-alive connection may still send a POST: a task accepted now
  // would only run after the restart, so the client is told to come back instead.
  if (state_->stopping() && request.method() == http::verb::post) {
    constexpr int kRetryAfterShutdownS = 5;
    HttpResponse response = error_response(
        request, domain::Error::unavailable("the server is shutting down; retry shortly"));
    response.set(http::field::retry_after, std::to_string(kRetryAfterShutdownS));
    return response;
  }
  if (route.limit == RateLimit::per_client) {
    if (const auto retry_after_s = state_->rate_limiter().acquire(client_)) {
      state_->metrics().rate_limited();
      HttpResponse response = error_response(request, http::status::too_many_requests,
                                             "RATE_LIMITED", "too many requests; retry later");
      response.set(http::field::retry_after, std::to_string(*retry_after_s));
      return response;
    }
  }
  return std::nullopt;
}

// The operations channel's WebSocket / SSE: checks the topics and resume position (no store
// read: the backlog is in memory), then gives the socket to its session.
void HttpSession::hand_over_operations(HttpRequest request, const Route& route,
                                       std::chrono::steady_clock::time_point start) {
  const bool websocket = route.kind == RouteKind::ops_websocket;
  if (state_->operations() == nullptr) {
    return send(error_response(request, domain::Error::not_found("no operations channel here")),
                route.name, start);
  }
  if (websocket && !beast::websocket::is_upgrade(request)) {
    return send(error_response(request, http::status::upgrade_required, "UPGRADE_REQUIRED",
                               "this endpoint speaks WebSocket only"),
                route.name, start);
  }
  auto parsed = parse_ops_stream_request(request);
  if (!parsed) return send(error_response(request, parsed.error()), route.name, start);
  if (state_->stopping()) {
    return send(error_response(request, domain::Error::unavailable("server shutting down")),
                route.name, start);
  }
  state_->metrics().observe_request(route.name, std::string(request.method_string()),
                                    websocket ? 101U : 200U, seconds_since(start));
  if (websocket) {
    std::make_shared<OpsWebSocketSession>(std::move(stream_), state_, *parsed)
        ->run(std::move(request));
  } else {
    std::make_shared<OpsSseSession>(std::move(stream_), state_, *parsed)->run();
  }
}

void HttpSession::run_blocking(const Route& route, HttpRequest request, PathParams params,
                               std::chrono::steady_clock::time_point start) {
  auto shared_request = std::make_shared<const HttpRequest>(std::move(request));
  net::post(state_->blocking_executor(), [self = shared_from_this(), &route, shared_request,
                                          params = std::move(params), start] {
    HttpResponse response = call_guarded(route.handler, route.name, *shared_request, params);
    net::post(self->stream_.get_executor(),
              [self, &route, response = std::move(response), start]() mutable {
                self->send(std::move(response), route.name, start);
              });
  });
}

// Checks a WebSocket / SSE request on the blocking pool (the task lookup reads the store), then
// back on the connection's strand gives the socket to its session, or answers with an error
// (400, 404, 426, 503) and keeps the connection.
void HttpSession::hand_over(HttpRequest request, const Route& route, const std::string& task_id,
                            std::chrono::steady_clock::time_point start) {
  auto shared_request = std::make_shared<HttpRequest>(std::move(request));
  net::post(state_->blocking_executor(), [self = shared_from_this(), &route, shared_request,
                                          task_id, start] {
    std::optional<HttpResponse> refusal;
    std::int64_t since = 0;
    bool checked = false;
    guarded("a live request's check", [&] {
      refusal = self->check_live_request(*shared_request, route, task_id, since);
      checked = true;
    });
    // A check that threw refuses with a 500.
    if (!checked)
      refusal = error_response(*shared_request, domain::Error::internal("internal error"));
    net::post(self->stream_.get_executor(), [self, &route, shared_request, task_id, start, since,
                                             refusal = std::move(refusal)]() mutable {
      if (refusal) return self->send(std::move(*refusal), route.name, start);
      self->start_live_session(std::move(*shared_request), route, task_id, since, start);
    });
  });
}

std::optional<HttpResponse> HttpSession::check_live_request(const HttpRequest& request,
                                                            const Route& route,
                                                            const std::string& task_id,
                                                            std::int64_t& since) {
  const bool websocket = route.kind == RouteKind::websocket;
  if (websocket && !beast::websocket::is_upgrade(request)) {
    return error_response(request, http::status::upgrade_required, "UPGRADE_REQUIRED",
                          "this endpoint speaks WebSocket only");
  }
  std::string since_text(request["Last-Event-ID"]);
  if (websocket || since_text.empty()) since_text = query_parameter(request.target(), "since");
  const auto parsed = parse_resume_position(since_text);
  if (!parsed) {
    return error_response(request, http::status::bad_request, "BAD_REQUEST",
                          "invalid resume position", {{"since", "must be an integer >= 0"}});
  }
  since = *parsed;
  if (state_->stopping()) {
    return error_response(request, domain::Error::unavailable("server shutting down"));
  }
  auto record = state_->tasks().get(task_id);
  if (!record) return error_response(request, record.error());
  if (!*record) {
    return error_response(request, domain::Error::not_found("no task with id " + task_id));
  }
  return std::nullopt;
}

void HttpSession::start_live_session(HttpRequest request, const Route& route,
                                     const std::string& task_id, std::int64_t since,
                                     std::chrono::steady_clock::time_point start) {
  const bool websocket = route.kind == RouteKind::websocket;
  state_->metrics().observe_request(route.name, std::string(request.method_string()),
                                    websocket ? 101U : 200U, seconds_since(start));
  if (websocket) {
    std::make_shared<WebSocketSession>(std::move(stream_), state_, task_id, since)
        ->run(std::move(request));
  } else {
    std::make_shared<SseSession>(std::move(stream_), state_, task_id, since)->run();
  }
}

void HttpSession::send(HttpResponse response, const std::string& route_name,
                       std::chrono::steady_clock::time_point start) {
  state_->metrics().observe_request(route_name, method_, response.result_int(),
                                    seconds_since(start));
  add_response_headers(response, cors_origin_);
  // HEAD: the GET answer's head, Content-Length included, without the body.
  if (head_request_) response.body().clear();
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
  release_blocking_slot();
  if (ec) return;
  if (!keep_alive) return do_close();
  do_read();
}

void HttpSession::do_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace evapo::server
