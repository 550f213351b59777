// One list of topics and events: docs/ops_event_catalog.json generates the server's constants,
// and docs/asyncapi.json documents exactly those messages.

#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <evapo/ops/ops_event.hpp>

namespace evapo::ops {
namespace {

nlohmann::json read_json(const std::string& relative) {
  std::ifstream in(std::string(EVAPO_SOURCE_DIR) + "/" + relative);
  return nlohmann::json::parse(in);
}

TEST(EventCatalog, GeneratedConstantsAreTheCatalogs) {
  const auto catalog = read_json("docs/ops_event_catalog.json");
  ASSERT_EQ(catalog["events"].size(), kEventCount);
  ASSERT_EQ(catalog["topics"].size(), kTopicCount);
  EXPECT_EQ(kEventCount, 17U)
      << "the original dashboard's 17 events, each with its evapo counterpart";
  for (std::size_t i = 0; i < kEventCount; ++i) {
    const auto type = static_cast<EventType>(i);
    EXPECT_EQ(to_string(type), catalog["events"][i]["name"].get<std::string>());
    EXPECT_EQ(to_string(topic_of(type)), catalog["events"][i]["topic"].get<std::string>());
    EXPECT_EQ(parse_event_type(to_string(type)), type);
  }
  std::set<std::string> origins;
  for (const auto& event : catalog["events"]) origins.insert(event["origin"]);
  EXPECT_EQ(origins.size(), 17U) << "each original event maps to exactly one";
}

TEST(EventCatalog, AsyncApiDocumentsEveryEventOnItsTopicAndNothingElse) {
  const auto catalog = read_json("docs/ops_event_catalog.json");
  const auto asyncapi = read_json("docs/asyncapi.json");
  std::set<std::string> documented;
  for (const auto& [name, message] : asyncapi["components"]["messages"].items()) {
    documented.insert(name + "@" + message["x-topic"].get<std::string>());
  }
  std::set<std::string> expected{"reset@channel"};
  for (const auto& event : catalog["events"]) {
    expected.insert(event["name"].get<std::string>() + "@" + event["topic"].get<std::string>());
  }
  EXPECT_EQ(documented, expected);
  EXPECT_EQ(asyncapi["channels"]["/ws/events"]["subscribe"]["message"]["oneOf"].size(),
            expected.size());
}

}  // namespace
}  // namespace evapo::ops
