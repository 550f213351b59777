#include <chrono>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <evapo/server/exception_barrier.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/server/sse_session.hpp>
#include <evapo/tasks/task_event.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace beast = boost::beast;
namespace net = boost::asio;

namespace {

std::string sse_frame(const tasks::TaskEvent& event) {
  std::string frame = "id: " + std::to_string(event.seq) + "\nevent: ";
  frame += tasks::to_string(event.type);
  frame += "\ndata: ";
  frame += tasks::serialize(event);  // compact JSON: no newlines inside
  frame += "\n\n";
  return frame;
}

}  // namespace

SseSession::SseSession(beast::tcp_stream&& stream, std::shared_ptr<ServerState> state,
                       std::string task_id, std::int64_t since_seq)
    : stream_(std::move(stream)),
      state_(std::move(state)),
      task_id_(std::move(task_id)),
      since_seq_(since_seq),
      queue_(state_->config().ws_send_queue_max_messages, state_->config().ws_send_queue_max_bytes),
      ping_timer_(stream_.get_executor()) {}

SseSession::~SseSession() {
  subscription_.reset();
  state_->metrics().sse_closed();
  state_->leave(this);
}

void SseSession::run() {
  state_->metrics().sse_opened();
  state_->join(this, weak_from_this());
  stream_.expires_never();
  enqueue(std::make_shared<const std::string>(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
      "Connection: close\r\nX-Accel-Buffering: no\r\nX-Content-Type-Options: nosniff\r\n"
      "Server: evapo\r\n\r\nretry: 2000\n\n"));
  schedule_ping();
  watch_peer();
  // Subscribing replays the stored events: store work, done on the blocking pool.
  net::post(state_->blocking_executor(), [self = shared_from_this()] {
    std::weak_ptr<SseSession> weak = self;
    domain::Expected<tasks::Subscription> subscribed =
        domain::fail(domain::Error::internal("subscribing threw"));
    guarded("subscribing a live session", [&] {
      subscribed = self->state_->tasks().subscribe(
          self->task_id_, self->since_seq_, [weak](const tasks::TaskEvent& event) {
            // Runs on the publishing thread, which must not die of anything that happens here.
            guarded("a live session's event delivery", [&] {
              auto session = weak.lock();
              if (!session) return;
              auto text = std::make_shared<const std::string>(sse_frame(event));
              const bool terminal = tasks::is_terminal(event.type);
              net::post(session->stream_.get_executor(),
                        [session, text = std::move(text), terminal]() mutable {
                          session->on_event(std::move(text), terminal);
                        });
            });
          });
    });
    net::post(self->stream_.get_executor(), [self, subscribed = std::move(subscribed)]() mutable {
      self->on_subscribed(std::move(subscribed));
    });
  });
}

void SseSession::on_subscribed(domain::Expected<tasks::Subscription> subscribed) {
  if (!subscribed) return finish();
  if (finished_ || terminal_queued_) return;
  subscription_ = std::move(*subscribed);
}

void SseSession::on_event(SendQueue::Message text, bool terminal) {
  if (finished_ || terminal_queued_) return;
  terminal_queued_ = terminal;
  if (terminal) subscription_.reset();
  enqueue(std::move(text));
}

void SseSession::enqueue(SendQueue::Message text) {
  if (finished_) return;
  if (!queue_.push(std::move(text))) {
    state_->metrics().slow_consumer_closed();
    finish();
    return;
  }
  if (!writing_) do_write();
}

void SseSession::do_write() {
  writing_ = true;
  net::async_write(
      stream_, net::buffer(*queue_.front()),
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void SseSession::on_write(beast::error_code ec) {
  writing_ = false;
  if (ec || finished_) {
    finish();
    return;
  }
  queue_.pop();
  if (!queue_.empty()) {
    do_write();
  } else if (terminal_queued_) {
    finish();
  }
}

void SseSession::schedule_ping() {
  ping_timer_.expires_after(std::chrono::seconds(state_->config().ws_ping_interval_s));
  ping_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->finished_) return;
    if (self->queue_.empty()) self->enqueue(std::make_shared<const std::string>(": ping\n\n"));
    self->schedule_ping();
  });
}

void SseSession::watch_peer() {
  // The client sends nothing more; a completed read means it went away (or misbehaves).
  stream_.async_read_some(
      net::buffer(&peer_byte_, 1),
      [self = shared_from_this()](beast::error_code, std::size_t) { self->finish(); });
}

void SseSession::finish() {
  if (finished_) return;
  finished_ = true;
  subscription_.reset();
  ping_timer_.cancel();
  queue_.clear_pending(writing_);
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
  state_->leave(this);
}

void SseSession::shutdown() {
  net::dispatch(stream_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->finish();
  });
}

}  // namespace evapo::server
