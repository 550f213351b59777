#include <chrono>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/field.hpp>

#include <evapo/server/exception_barrier.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/server/websocket_session.hpp>
#include <evapo/tasks/task_event.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

WebSocketSession::WebSocketSession(beast::tcp_stream&& stream, std::shared_ptr<ServerState> state,
                                   std::string task_id, std::int64_t since_seq)
    : ws_(std::move(stream)),
      state_(std::move(state)),
      task_id_(std::move(task_id)),
      since_seq_(since_seq),
      queue_(state_->config().ws_send_queue_max_messages,
             state_->config().ws_send_queue_max_bytes) {}

WebSocketSession::~WebSocketSession() {
  subscription_.reset();
  if (accepted_) state_->metrics().websocket_closed();
  state_->leave(this);
}

void WebSocketSession::run(HttpRequest request) {
  beast::get_lowest_layer(ws_).expires_never();
  websocket::stream_base::timeout timeout{};
  timeout.handshake_timeout = std::chrono::seconds(30);
  // Beast pings after half the idle timeout of silence and drops the peer after the whole.
  timeout.idle_timeout = std::chrono::seconds(2 * state_->config().ws_ping_interval_s);
  timeout.keep_alive_pings = true;
  ws_.set_option(timeout);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(beast::http::field::server, "evapo");
  }));
  // Clients only send control frames; a small limit keeps a peer from making us buffer much.
  ws_.read_message_max(4096);
  // One frame per event: a SUCCESS of a year (about 120 KB) goes out in one gathered write
  // instead of 4 KB fragments, each its own system call.
  ws_.auto_fragment(false);
  state_->join(this, weak_from_this());
  ws_.async_accept(request,
                   beast::bind_front_handler(&WebSocketSession::on_accept, shared_from_this()));
}

void WebSocketSession::on_accept(beast::error_code ec) {
  if (ec) return;
  accepted_ = true;
  state_->metrics().websocket_opened();
  if (state_->stopping()) {
    close_with(websocket::close_code::going_away, "server shutting down");
    return;
  }
  do_read();
  // Subscribing replays the stored events (a finished task's result among them): store work,
  // done on the blocking pool. The replayed events reach the strand before on_subscribed.
  net::post(state_->blocking_executor(), [self = shared_from_this()] {
    std::weak_ptr<WebSocketSession> weak = self;
    domain::Expected<tasks::Subscription> subscribed =
        domain::fail(domain::Error::internal("subscribing threw"));
    guarded("subscribing a live session", [&] {
      subscribed = self->state_->tasks().subscribe(
          self->task_id_, self->since_seq_, [weak](const tasks::TaskEvent& event) {
            // Runs on the publishing thread, which must not die of anything that happens here.
            guarded("a live session's event delivery", [&] {
              auto session = weak.lock();
              if (!session) return;
              auto text = tasks::wire_text(event);  // built once per event, shared by all peers
              const bool terminal = tasks::is_terminal(event.type);
              net::post(session->ws_.get_executor(),
                        [session, text = std::move(text), terminal]() mutable {
                          session->on_event(std::move(text), terminal);
                        });
            });
          });
    });
    net::post(self->ws_.get_executor(), [self, subscribed = std::move(subscribed)]() mutable {
      self->on_subscribed(std::move(subscribed));
    });
  });
}

void WebSocketSession::on_subscribed(domain::Expected<tasks::Subscription> subscribed) {
  if (!subscribed) {
    close_with(websocket::close_code::try_again_later, "task events unavailable");
    return;
  }
  // Closing already (the terminal event went out, or shutdown): nothing more to deliver.
  if (closing_ || finished_ || terminal_queued_) return;
  subscription_ = std::move(*subscribed);
}

void WebSocketSession::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(
                              [](std::shared_ptr<WebSocketSession> self, beast::error_code ec,
                                 std::size_t) { self->on_read(ec); },
                              shared_from_this()));
}

void WebSocketSession::on_read(beast::error_code ec) {
  if (ec) {
    // Peer closed, dropped, or went silent past the idle timeout.
    finish();
    return;
  }
  // Anything a client sends is ignored; the channel is one-way.
  buffer_.clear();
  buffer_.shrink_to_fit();
  do_read();
}

void WebSocketSession::on_event(SendQueue::Message text, bool terminal) {
  if (closing_ || finished_ || terminal_queued_) return;
  if (!queue_.push(std::move(text))) {
    state_->metrics().slow_consumer_closed();
    close_with(websocket::close_code::policy_error, "send queue full: client too slow");
    return;
  }
  terminal_queued_ = terminal;
  if (terminal) subscription_.reset();
  if (!writing_) do_write();
}

void WebSocketSession::do_write() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(
      net::buffer(*queue_.front()),
      beast::bind_front_handler([](std::shared_ptr<WebSocketSession> self, beast::error_code ec,
                                   std::size_t) { self->on_write(ec); },
                                shared_from_this()));
}

void WebSocketSession::on_write(beast::error_code ec) {
  writing_ = false;
  if (ec) {
    finish();
    return;
  }
  queue_.pop();
  if (closing_) return;
  if (!queue_.empty()) {
    do_write();
  } else if (terminal_queued_) {
    close_with(websocket::close_code::normal, "task finished");
  }
}

void WebSocketSession::close_with(websocket::close_code code, const char* reason) {
  if (closing_ || finished_) return;
  closing_ = true;
  subscription_.reset();
  queue_.clear_pending(writing_);
  // A closing handshake the peer never completes (it stopped reading) ends by closing the socket.
  close_deadline_ = std::make_unique<net::steady_timer>(
      ws_.get_executor(), std::chrono::seconds(state_->config().ws_close_grace_s));
  close_deadline_->async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) beast::get_lowest_layer(self->ws_).close();
  });
  // Beast runs the close after a write in flight completes.
  ws_.async_close(websocket::close_reason(code, reason),
                  [self = shared_from_this()](beast::error_code) {
                    // The read loop sees the peer's close (or the error) and calls finish().
                    if (self->close_deadline_) self->close_deadline_->cancel();
                  });
}

void WebSocketSession::finish() {
  if (finished_) return;
  finished_ = true;
  subscription_.reset();
  queue_.clear_pending(writing_);  // a write in flight still reads its buffer
  if (close_deadline_) close_deadline_->cancel();
  state_->leave(this);
}

void WebSocketSession::shutdown() {
  net::dispatch(ws_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) {
      self->close_with(websocket::close_code::going_away, "server shutting down");
    }
  });
}

}  // namespace evapo::server
