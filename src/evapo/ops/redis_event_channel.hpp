#pragma once

// The distributed operations channel (redis://): one Redis stream for the whole deployment, so
// that a subscriber on any node sees every node's events. A publish is one Lua step (INCR the
// channel's seq, XADD the event with entry id "<seq>-0", the stream capped near the backlog's
// size), so seqs are gap-free and in stream order however many nodes publish. Each node reads
// the stream with one blocking reader (tasks::RedisStreamReader) into its in-memory fan-out
// (event_fanout.hpp), which serves subscribe and recent; an event reaches this node's
// subscribers when it comes back from the stream, in the one order every node sees. Nodes with
// subscribers say so in a sorted set (expiring), so that a worker node, which has none of its
// own, publishes its periodic figures while someone anywhere watches.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <evapo/ops/event_channel.hpp>
#include <evapo/tasks/redis_client.hpp>

namespace evapo::ops {

class RedisEventChannel final : public EventChannel {
 public:
  struct Options {
    std::string node{};
    BacklogLimits limits{};
    /// Prefix of the channel's keys ("evapo:ops": evapo:ops:{events}, :seq, :subscribed).
    std::string key_prefix = "evapo:ops";
    std::function<std::chrono::system_clock::time_point()> clock = [] {
      return std::chrono::system_clock::now();
    };
  };

  /// Connects to `endpoint`, loads the kept backlog and starts reading the stream. Errors:
  /// unavailable when Redis cannot be reached.
  static domain::Expected<std::shared_ptr<RedisEventChannel>> open(
      const tasks::RedisEndpoint& endpoint, Options options);

  ~RedisEventChannel() override;  // stops the reader and the fan-out

  domain::Expected<OpsEventPtr> publish_text(EventType type, std::string data_text) override;
  domain::Expected<tasks::Subscription> subscribe(TopicSet topics,
                                                  std::optional<std::int64_t> since_seq,
                                                  OpsEventHandler handler) override;
  domain::Expected<std::vector<OpsEventPtr>> recent(TopicSet topics, int limit) override;
  std::int64_t head_seq() const override;
  /// This node's subscribers, or 1 when only other nodes have some (see the file comment).
  std::int64_t subscriber_count() const override;
  const std::string& node() const override;

  struct Core;

 private:
  explicit RedisEventChannel(std::shared_ptr<Core> core);
  std::shared_ptr<Core> core_;
};

}  // namespace evapo::ops
