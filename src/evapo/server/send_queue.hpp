#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>

namespace evapo::server {

/// The bounded outgoing queue of one live connection (WebSocket or SSE). Messages are shared,
/// immutable strings so one event fanned out to many subscribers is not copied per connection.
/// Not thread-safe: used only on its connection's strand.
class SendQueue {
 public:
  using Message = std::shared_ptr<const std::string>;

  SendQueue(std::size_t max_messages, std::size_t max_bytes)
      : max_messages_(max_messages), max_bytes_(max_bytes) {}

  /// Appends `message`; false (and nothing appended) when that would exceed either bound: the
  /// peer is too slow and the caller closes the connection.
  bool push(Message message) {
    if (messages_.size() >= max_messages_ || bytes_ + message->size() > max_bytes_) return false;
    bytes_ += message->size();
    messages_.push_back(std::move(message));
    return true;
  }

  bool empty() const { return messages_.empty(); }
  std::size_t size() const { return messages_.size(); }

  /// The message being written (valid until pop).
  const Message& front() const { return messages_.front(); }

  void pop() {
    bytes_ -= messages_.front()->size();
    messages_.pop_front();
  }

  /// Drops everything but the message being written, if any (`keep_front`).
  void clear_pending(bool keep_front) {
    while (messages_.size() > (keep_front ? 1U : 0U)) {
      bytes_ -= messages_.back()->size();
      messages_.pop_back();
    }
  }

 private:
  std::size_t max_messages_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::deque<Message> messages_;
};

}  // namespace evapo::server
