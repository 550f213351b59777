#pragma once

// The in-memory half of an operations channel, whatever keeps its events durably (SQLite for the
// embedded backend, a Redis stream for the distributed one): the backlog of the last events
// (consecutive seqs, bounded by BacklogLimits), one delivery thread that fans new events out to
// subscribers in batches (subscribers of the same topics share one vector), and subscribe /
// recent served from memory, so a replay never reads the store.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <evapo/ops/event_channel.hpp>

namespace evapo::ops {

class EventFanout {
 public:
  struct Options {
    std::string node{};
    BacklogLimits limits{};
    std::function<std::chrono::system_clock::time_point()> clock = [] {
      return std::chrono::system_clock::now();
    };
  };

  /// Starts with the channel's `head` seq and the events `kept` of it (oldest first; only the
  /// consecutive tail ending at `head` is used), then starts the delivery thread.
  EventFanout(Options options, const std::vector<OpsEventPtr>& kept, std::int64_t head);
  ~EventFanout();  // stops the delivery thread
  EventFanout(const EventFanout&) = delete;
  EventFanout& operator=(const EventFanout&) = delete;

  /// Adds a newer event and wakes the delivery thread. seq head + 1 extends the backlog; a
  /// larger seq (events this process never saw) starts it again from the event, and subscribers
  /// left behind get a reset; an older seq is ignored. Thread-safe; never waits for subscribers.
  void append(OpsEventPtr event);

  /// See EventChannel::subscribe.
  tasks::Subscription subscribe(TopicSet topics, std::optional<std::int64_t> since_seq,
                                OpsEventHandler handler);

  /// See EventChannel::recent.
  std::vector<OpsEventPtr> recent(TopicSet topics, int limit);

  std::int64_t head_seq() const;
  /// Seq of the oldest event kept (head + 1 when none).
  std::int64_t oldest_seq() const;
  std::int64_t subscriber_count() const;
  const std::string& node() const { return options_.node; }
  /// ISO-8601 UTC now, by the options' clock.
  std::string now_iso() const;

  struct Core;

 private:
  Options options_;
  std::shared_ptr<Core> core_;
};

}  // namespace evapo::ops
