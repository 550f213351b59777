#include <chrono>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <evapo/ops/operations.hpp>
#include <evapo/server/exception_barrier.hpp>
#include <evapo/server/ops_sse_session.hpp>
#include <evapo/server/server_state.hpp>

namespace evapo::server {

namespace beast = boost::beast;
namespace net = boost::asio;

namespace {
constexpr std::size_t kMaxQueuedEvents = 10'000;
constexpr std::size_t kWriteMaxEvents = 1024;
constexpr std::size_t kWriteMaxBytes = 1 << 20;
}  // namespace

OpsSseSession::OpsSseSession(beast::tcp_stream&& stream, std::shared_ptr<ServerState> state,
                             OpsStreamRequest request)
    : stream_(std::move(stream)),
      state_(std::move(state)),
      request_(request),
      queue_(kMaxQueuedEvents, state_->config().ws_send_queue_max_bytes),
      ping_timer_(stream_.get_executor()) {}

OpsSseSession::~OpsSseSession() {
  subscription_.reset();
  state_->metrics().sse_closed();
  state_->leave(this);
}

void OpsSseSession::run() {
  state_->metrics().sse_opened();
  state_->join(this, weak_from_this());
  stream_.expires_never();
  std::weak_ptr<OpsSseSession> weak = weak_from_this();
  auto subscribed = state_->operations()->channel().subscribe(
      request_.topics, request_.since, [weak](const std::vector<ops::OpsEventPtr>& events) {
        // Runs on the channel's delivery thread, which must not die of anything done here.
        guarded("an operations session's event delivery", [&] {
          auto self = weak.lock();
          if (!self) return;
          if (self->queue_.offer(events)) {
            net::post(self->stream_.get_executor(), [self] { self->on_drain(); });
          }
        });
      });
  if (!subscribed) {
    finish();
    return;
  }
  subscription_ = std::move(*subscribed);
  do_write();
  schedule_ping();
  watch_peer();
}

void OpsSseSession::on_drain() {
  if (finished_) return;
  if (!queue_.drain()) {
    state_->metrics().slow_consumer_closed();
    finish();
    return;
  }
  if (!writing_) do_write();
}

void OpsSseSession::do_write() {
  out_.clear();
  if (!head_sent_) {
    head_sent_ = true;
    out_ =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "Connection: close\r\nX-Accel-Buffering: no\r\nServer: evapo\r\n\r\nretry: 1000\n\n";
  }
  for (const auto& event : queue_.take(kWriteMaxEvents, kWriteMaxBytes)) {
    out_ += "id: " + std::to_string(event->seq) + "\nevent: " + event->type + "\ndata: ";
    out_ += *event->wire;  // compact JSON: no newline inside
    out_ += "\n\n";
  }
  if (out_.empty() && ping_due_) out_ = ": ping\n\n";
  ping_due_ = false;
  if (out_.empty()) return;
  writing_ = true;
  net::async_write(
      stream_, net::buffer(out_),
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void OpsSseSession::on_write(beast::error_code ec) {
  writing_ = false;
  if (ec || finished_) return finish();
  if (!queue_.empty() || ping_due_) do_write();
}

void OpsSseSession::schedule_ping() {
  ping_timer_.expires_after(std::chrono::seconds(state_->config().ws_ping_interval_s));
  ping_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->finished_) return;
    self->ping_due_ = true;
    if (!self->writing_) self->do_write();
    self->schedule_ping();
  });
}

void OpsSseSession::watch_peer() {
  stream_.async_read_some(
      net::buffer(&peer_byte_, 1),
      [self = shared_from_this()](beast::error_code, std::size_t) { self->finish(); });
}

void OpsSseSession::finish() {
  if (finished_) return;
  finished_ = true;
  subscription_.reset();
  ping_timer_.cancel();
  queue_.close();
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
  state_->leave(this);
}

void OpsSseSession::shutdown() {
  net::dispatch(stream_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->finish();
  });
}

}  // namespace evapo::server
