#pragma once

// The messages of the operations channel (GET /ws/events, GET /api/v1/events/stream): the same
// envelope as task events, with the topic and the node that published it instead of a task id:
//   {"data":{...},"node":"host-1234","seq":N,"topic":"calculations","ts":"...Z","type":"..."}
// seq is 1, 2, 3 ... per channel with no hole; a subscriber to some topics sees an increasing
// subsequence.

#include <bitset>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/ops/event_catalog.hpp>

namespace evapo::ops {

/// Wire name of a topic / of a catalog event.
std::string_view to_string(Topic topic);
std::string_view to_string(EventType type);

/// The topic an event is published on (from the catalog).
Topic topic_of(EventType type);

/// Inverse of to_string; nullopt for a name the catalog does not have.
std::optional<Topic> parse_topic(std::string_view name);
std::optional<EventType> parse_event_type(std::string_view name);

/// A set of topics (a subscription's filter).
class TopicSet {
 public:
  /// Every topic.
  static TopicSet all();

  /// "calculations,health": the named topics; empty text means all. invalid_argument naming the
  /// unknown topic otherwise.
  static domain::Expected<TopicSet> parse(std::string_view text);

  TopicSet& add(Topic topic);
  bool contains(Topic topic) const { return bits_.test(static_cast<std::size_t>(topic)); }

 private:
  std::bitset<kTopicCount> bits_;
};

/// One published event, immutable once made and shared by every subscriber.
struct OpsEvent {
  std::int64_t seq = 0;
  Topic topic = Topic::activity;
  std::string type;  // a catalog event name, or "reset" (a control message, never stored)
  std::string ts;    // publication time, ISO-8601 UTC with milliseconds
  std::string node;  // who published it
  std::shared_ptr<const std::string> wire;  // the message as sent (compact JSON, one line)

  /// The data object, parsed from the wire text (tests and tools; not the fan-out path).
  nlohmann::json data() const;
};

using OpsEventPtr = std::shared_ptr<const OpsEvent>;

/// The event with its wire text built from `data_text` (compact JSON of an object).
OpsEventPtr make_ops_event(std::int64_t seq, Topic topic, std::string type, std::string ts,
                           std::string node, const std::string& data_text);

/// The control message telling a client that the events after its `since` are gone (or that
/// `since` is ahead of the channel): it reloads its snapshot (GET /api/v1/ops/overview) and
/// continues after this message's seq (the channel's head).
OpsEventPtr make_reset_event(std::int64_t head_seq, std::int64_t oldest_seq, std::int64_t since_seq,
                             const std::string& node, const std::string& ts);

}  // namespace evapo::ops
