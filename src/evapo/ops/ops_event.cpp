#include <evapo/ops/ops_event.hpp>
#include <evapo/tasks/task_event.hpp>

namespace evapo::ops {

std::string_view to_string(Topic topic) {
  return kTopicNames[static_cast<std::size_t>(topic)];
}

std::string_view to_string(EventType type) {
  return kEvents[static_cast<std::size_t>(type)].name;
}

Topic topic_of(EventType type) {
  return kEvents[static_cast<std::size_t>(type)].topic;
}

std::optional<Topic> parse_topic(std::string_view name) {
  for (std::size_t i = 0; i < kTopicCount; ++i) {
    if (kTopicNames[i] == name) return static_cast<Topic>(i);
  }
  return std::nullopt;
}

std::optional<EventType> parse_event_type(std::string_view name) {
  for (std::size_t i = 0; i < kEventCount; ++i) {
    if (kEvents[i].name == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

TopicSet TopicSet::all() {
  TopicSet set;
  set.bits_.set();
  return set;
}

domain::Expected<TopicSet> TopicSet::parse(std::string_view text) {
  if (text.empty()) return all();
  TopicSet set;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    if (!name.empty()) {
      const auto topic = parse_topic(name);
      if (!topic) {
        std::string known;
        for (const auto topic_name : kTopicNames) {
          known += (known.empty() ? "" : ", ") + std::string(topic_name);
        }
        return domain::fail(domain::Error::invalid_argument(
            "unknown topic", {{"topics", "'" + std::string(name) + "' is not one of " + known}}));
      }
      set.add(*topic);
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return set;
}

TopicSet& TopicSet::add(Topic topic) {
  bits_.set(static_cast<std::size_t>(topic));
  return *this;
}

nlohmann::json OpsEvent::data() const {
  if (!wire) return nlohmann::json::object();
  auto parsed = nlohmann::json::parse(*wire, nullptr, false);
  if (parsed.is_discarded() || !parsed.contains("data")) return nlohmann::json::object();
  return parsed["data"];
}

namespace {

// Keys in sorted order, as nlohmann dumps an object, with data spliced in as it is.
std::string build_wire(const std::string& data_text, const std::string& node, std::int64_t seq,
                       std::string_view topic, const std::string& ts, const std::string& type) {
  std::string wire;
  wire.reserve(data_text.size() + 128);
  wire += "{\"data\":";
  wire += data_text;
  wire += ",\"node\":";
  wire += nlohmann::json(node).dump();
  wire += ",\"seq\":";
  wire += std::to_string(seq);
  wire += ",\"topic\":\"";
  wire += topic;
  wire += "\",\"ts\":\"";
  wire += ts;
  wire += "\",\"type\":\"";
  wire += type;
  wire += "\"}";
  return wire;
}

}  // namespace

OpsEventPtr make_ops_event(std::int64_t seq, Topic topic, std::string type, std::string ts,
                           std::string node, const std::string& data_text) {
  auto event = std::make_shared<OpsEvent>();
  event->seq = seq;
  event->topic = topic;
  event->type = std::move(type);
  event->ts = std::move(ts);
  event->node = std::move(node);
  event->wire = std::make_shared<const std::string>(
      build_wire(data_text, event->node, seq, to_string(topic), event->ts, event->type));
  return event;
}

OpsEventPtr make_reset_event(std::int64_t head_seq, std::int64_t oldest_seq, std::int64_t since_seq,
                             const std::string& node, const std::string& ts) {
  const nlohmann::json data{{"reason", since_seq > head_seq ? "ahead" : "expired"},
                            {"since", since_seq},
                            {"oldest_seq", oldest_seq},
                            {"head_seq", head_seq}};
  auto event = std::make_shared<OpsEvent>();
  event->seq = head_seq;
  event->type = "reset";
  event->ts = ts;
  event->node = node;
  // A control message belongs to no topic: its wire says "channel".
  event->wire = std::make_shared<const std::string>(
      build_wire(tasks::event_data_text(data), node, head_seq, "channel", ts, "reset"));
  return event;
}

}  // namespace evapo::ops
