#pragma once

// The outgoing side of one operations stream (WebSocket or SSE): events handed over by the
// channel's delivery thread wait in `inbox` (one post to the connection's strand per burst, not
// one per event), then in a queue bounded in events and bytes; a connection whose queue
// overflows is closed (the client resumes with since). Every write takes all that waits, up to a
// bound, as one message, so the number of system calls follows the connection's pace, not the
// event rate.

#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

#include <evapo/ops/ops_event.hpp>

namespace evapo::server {

class OpsEventQueue {
 public:
  OpsEventQueue(std::size_t max_events, std::size_t max_bytes)
      : max_events_(max_events), max_bytes_(max_bytes) {}

  /// From the delivery thread: adds the events; true when the caller must post a drain to the
  /// strand (the inbox was empty).
  bool offer(const std::vector<ops::OpsEventPtr>& events) {
    std::lock_guard lock(inbox_mutex_);
    if (closed_) return false;
    const bool was_empty = inbox_.empty();
    inbox_.insert(inbox_.end(), events.begin(), events.end());
    return was_empty;
  }

  /// On the strand: moves the inbox into the queue; false when a bound is exceeded.
  bool drain() {
    std::vector<ops::OpsEventPtr> arrived;
    {
      std::lock_guard lock(inbox_mutex_);
      arrived.swap(inbox_);
    }
    for (auto& event : arrived) {
      bytes_ += event->wire->size();
      queue_.push_back(std::move(event));
    }
    return queue_.size() <= max_events_ && bytes_ <= max_bytes_;
  }

  /// On the strand: takes the next message's events (at most `max_events` / about `max_bytes`)
  /// off the queue.
  std::vector<ops::OpsEventPtr> take(std::size_t max_events, std::size_t max_bytes) {
    std::vector<ops::OpsEventPtr> out;
    std::size_t bytes = 0;
    while (!queue_.empty() && out.size() < max_events && (out.empty() || bytes < max_bytes)) {
      bytes += queue_.front()->wire->size();
      bytes_ -= queue_.front()->wire->size();
      out.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    return out;
  }

  bool empty() const { return queue_.empty(); }

  /// Drops everything and refuses what comes later (the connection is closing).
  void close() {
    {
      std::lock_guard lock(inbox_mutex_);
      closed_ = true;
      inbox_.clear();
    }
    queue_.clear();
    bytes_ = 0;
  }

 private:
  std::size_t max_events_;
  std::size_t max_bytes_;
  std::mutex inbox_mutex_;
  std::vector<ops::OpsEventPtr> inbox_;
  bool closed_ = false;
  std::deque<ops::OpsEventPtr> queue_;  // strand only
  std::size_t bytes_ = 0;               // strand only
};

}  // namespace evapo::server
