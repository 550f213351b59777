#include <chrono>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/field.hpp>

#include <evapo/ops/operations.hpp>
#include <evapo/server/exception_barrier.hpp>
#include <evapo/server/ops_websocket_session.hpp>
#include <evapo/server/server_state.hpp>

namespace evapo::server {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {
constexpr auto kCloseGrace = std::chrono::seconds(5);
// A client this far behind resumes from the backlog instead (it keeps 10,000 events).
constexpr std::size_t kMaxQueuedEvents = 10'000;
// One message carries at most this much; more waits for the next write.
constexpr std::size_t kMessageMaxEvents = 1024;
constexpr std::size_t kMessageMaxBytes = 1 << 20;
const std::string kNewline = "\n";
}  // namespace

OpsWebSocketSession::OpsWebSocketSession(beast::tcp_stream&& stream,
                                         std::shared_ptr<ServerState> state,
                                         OpsStreamRequest request)
    : ws_(std::move(stream)),
      state_(std::move(state)),
      request_(request),
      queue_(kMaxQueuedEvents, state_->config().ws_send_queue_max_bytes) {}

OpsWebSocketSession::~OpsWebSocketSession() {
  subscription_.reset();
  if (accepted_) state_->metrics().websocket_closed();
  state_->leave(this);
}

void OpsWebSocketSession::run(HttpRequest request) {
  beast::get_lowest_layer(ws_).expires_never();
  websocket::stream_base::timeout timeout{};
  timeout.handshake_timeout = std::chrono::seconds(30);
  timeout.idle_timeout = std::chrono::seconds(2 * state_->config().ws_ping_interval_s);
  timeout.keep_alive_pings = true;
  ws_.set_option(timeout);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(beast::http::field::server, "evapo");
  }));
  ws_.read_message_max(4096);
  ws_.auto_fragment(false);
  state_->join(this, weak_from_this());
  ws_.async_accept(request,
                   beast::bind_front_handler(&OpsWebSocketSession::on_accept, shared_from_this()));
}

void OpsWebSocketSession::on_accept(beast::error_code ec) {
  if (ec) return;
  accepted_ = true;
  state_->metrics().websocket_opened();
  if (state_->stopping()) {
    close_with(websocket::close_code::going_away, "server shutting down");
    return;
  }
  std::weak_ptr<OpsWebSocketSession> weak = weak_from_this();
  auto subscribed = state_->operations()->channel().subscribe(
      request_.topics, request_.since, [weak](const std::vector<ops::OpsEventPtr>& events) {
        // Runs on the channel's delivery thread, which must not die of anything done here.
        guarded("an operations session's event delivery", [&] {
          auto self = weak.lock();
          if (!self) return;
          if (self->queue_.offer(events)) {
            net::post(self->ws_.get_executor(), [self] { self->on_drain(); });
          }
        });
      });
  if (!subscribed) {
    close_with(websocket::close_code::try_again_later, "operations events unavailable");
    return;
  }
  subscription_ = std::move(*subscribed);
  do_read();
}

void OpsWebSocketSession::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(
                              [](std::shared_ptr<OpsWebSocketSession> self, beast::error_code ec,
                                 std::size_t) {
                                if (ec) return self->finish();
                                // The channel is one-way: what a client sends is ignored.
                                self->buffer_.clear();
                                self->do_read();
                              },
                              shared_from_this()));
}

void OpsWebSocketSession::on_drain() {
  if (closing_ || finished_) return;
  if (!queue_.drain()) {
    state_->metrics().slow_consumer_closed();
    close_with(websocket::close_code::policy_error, "send queue full: client too slow");
    return;
  }
  if (!writing_) do_write();
}

void OpsWebSocketSession::do_write() {
  in_flight_ = queue_.take(kMessageMaxEvents, kMessageMaxBytes);
  if (in_flight_.empty()) return;
  buffers_.clear();
  for (const auto& event : in_flight_) {
    if (!buffers_.empty()) buffers_.push_back(net::buffer(kNewline));
    buffers_.push_back(net::buffer(*event->wire));
  }
  writing_ = true;
  ws_.text(true);
  ws_.async_write(buffers_, beast::bind_front_handler(
                                [](std::shared_ptr<OpsWebSocketSession> self, beast::error_code ec,
                                   std::size_t) { self->on_write(ec); },
                                shared_from_this()));
}

void OpsWebSocketSession::on_write(beast::error_code ec) {
  writing_ = false;
  in_flight_.clear();
  if (ec) return finish();
  if (closing_) return;
  if (!queue_.empty()) do_write();
}

void OpsWebSocketSession::close_with(websocket::close_code code, const char* reason) {
  if (closing_ || finished_) return;
  closing_ = true;
  subscription_.reset();
  queue_.close();
  close_deadline_ = std::make_unique<net::steady_timer>(ws_.get_executor(), kCloseGrace);
  close_deadline_->async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) beast::get_lowest_layer(self->ws_).close();
  });
  ws_.async_close(websocket::close_reason(code, reason),
                  [self = shared_from_this()](beast::error_code) {
                    if (self->close_deadline_) self->close_deadline_->cancel();
                  });
}

void OpsWebSocketSession::finish() {
  if (finished_) return;
  finished_ = true;
  subscription_.reset();
  queue_.close();
  if (close_deadline_) close_deadline_->cancel();
  state_->leave(this);
}

void OpsWebSocketSession::shutdown() {
  net::dispatch(ws_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) {
      self->close_with(websocket::close_code::going_away, "server shutting down");
    }
  });
}

}  // namespace evapo::server
