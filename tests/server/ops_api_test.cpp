// The operations API over real sockets: the /ws/events channel (topics, since, several events per
// message), its SSE twin, the overview, fusion priors deploy and rollback, task re-run, and who
// may change things (the admin rule of access_policy.hpp).

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include <evapo/ops/activity.hpp>

#include "ops_server_fixture.hpp"

namespace evapo::server::testing {
namespace {

using tcp = net::ip::tcp;

constexpr const char* kToken = "an-admin-token-of-32-characters!";
constexpr const char* kPriors = "context,source,variable,sd\nreanalysis,nasa_power,tmax_c,2.5\n";

HttpResult post_csv(std::uint16_t port, const std::string& target, const std::string& csv,
                    const std::string& token = "") {
  std::map<std::string, std::string> headers{{"Content-Type", "text/csv"}};
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  // http_call sets application/json for bodies; the explicit header below wins.
  return http_call(port, http::verb::post, target, csv, headers);
}

HttpResult get_as(std::uint16_t port, const std::string& target, const std::string& token) {
  return http_call(port, http::verb::get, target, "", {{"Authorization", "Bearer " + token}});
}

HttpResult post_as(std::uint16_t port, const std::string& target, const std::string& token) {
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return http_call(port, http::verb::post, target, "", headers);
}

bool is_type(const nlohmann::json& event, const char* type) {
  return event.value("type", std::string()) == type;
}

TEST(OpsApi, ACalculationShowsOnTheChannelStepByStep) {
  OpsServer server;
  OpsEventsClient events(server.port(), "/ws/events?topics=calculations");
  const auto id = server.submit();
  const auto seen =
      events.until([&](const nlohmann::json& e) { return is_type(e, "calculation_complete"); });
  ASSERT_FALSE(seen.empty());
  std::vector<std::string> steps;
  for (const auto& event : seen) {
    EXPECT_EQ(event["topic"], "calculations");
    EXPECT_EQ(event["node"], "test-node");
    EXPECT_EQ(event["data"]["task_ref"], id.substr(0, 12));
    EXPECT_FALSE(event["data"].contains("task_id"));
    if (is_type(event, "calculation_progress")) steps.push_back(event["data"]["step"]);
  }
  EXPECT_EQ(steps.size(), 7U);
  const auto& complete = seen.back();
  EXPECT_EQ(complete["data"]["latitude"], 39.5);
  EXPECT_EQ(complete["data"]["start_date"], "2015-01-01");
  // Seqs increase (other topics may sit between them).
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i]["seq"], seen[i - 1]["seq"]);
}

TEST(OpsApi, SinceReplaysAndSeveralEventsShareAMessage) {
  OpsServer server;
  for (int i = 0; i < 300; ++i) {
    ops::publish_activity(server.ops().channel(), "task", "rerun", "t" + std::to_string(i));
  }
  const auto head = server.ops().channel().head_seq();
  OpsEventsClient events(server.port(), "/ws/events?topics=activity&since=0");
  std::vector<std::int64_t> seqs;
  for (const auto& event :
       events.until([&](const nlohmann::json& e) { return e["seq"] == head; })) {
    seqs.push_back(event["seq"]);
  }
  std::vector<std::int64_t> expected;
  for (std::int64_t s = 1; s <= head; ++s) expected.push_back(s);
  EXPECT_EQ(seqs, expected) << "node started + 300 activities, in order, none missing";
  EXPECT_LT(events.messages(), 100) << "a replay goes out in few messages";
}

TEST(OpsApi, TheSseTwinResumesFromLastEventId) {
  OpsServer server;
  for (int i = 0; i < 5; ++i) ops::publish_activity(server.ops().channel(), "task", "rerun", "t");
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
  http::request<http::empty_body> request{http::verb::get, "/api/v1/events/stream?topics=activity",
                                          11};
  request.set(http::field::host, "127.0.0.1");
  request.set("Last-Event-ID", "3");
  http::write(stream, request);
  std::string received;
  stream.expires_after(std::chrono::seconds(20));
  while (received.find("id: 6\n") == std::string::npos) {
    char buffer[4096];
    beast::error_code ec;
    const auto n = stream.socket().read_some(net::buffer(buffer), ec);
    ASSERT_FALSE(ec) << ec.message() << "\n" << received;
    received.append(buffer, n);
  }
  EXPECT_NE(received.find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_EQ(received.find("id: 3\n"), std::string::npos);
  EXPECT_NE(received.find("id: 4\nevent: activity\ndata: {"), std::string::npos);
  EXPECT_NE(received.find("id: 5\n"), std::string::npos);
}

TEST(OpsApi, BadTopicsOrSinceAreRefusedWithTheField) {
  OpsServer server;
  const auto bad_topic = http_get(server.port(), "/api/v1/events/stream?topics=weather");
  EXPECT_EQ(bad_topic.status, 422U);
  EXPECT_EQ(bad_topic.json()["error"]["details"][0]["field"], "topics");
  const auto bad_since = http_get(server.port(), "/api/v1/events/stream?since=-4");
  EXPECT_EQ(bad_since.status, 422U);
  EXPECT_EQ(bad_since.json()["error"]["details"][0]["field"], "since");
  EXPECT_EQ(http_get(server.port(), "/ws/events").status, 426U);
}

TEST(OpsApi, OverviewIsASnapshotToContinueFrom) {
  OpsServer server;
  const auto overview = http_get(server.port(), "/api/v1/ops/overview");
  ASSERT_EQ(overview.status, 200U);
  const auto body = overview.json();
  EXPECT_EQ(body["node"], "test-node");
  EXPECT_TRUE(body["seq"].is_number_integer());
  ASSERT_EQ(body["nodes"].size(), 1U);
  EXPECT_GT(body["nodes"][0]["stats"]["rss_bytes"].get<std::int64_t>(), 0);
  EXPECT_TRUE(body["health"].is_array());
  EXPECT_TRUE(body["sources"].is_array());
  EXPECT_EQ(body["activity"][0]["data"]["action"], "started");
  EXPECT_EQ(body["priors"]["active_version"], 0);
}

TEST(OpsApi, PriorsDeployRollbackAndABadFile) {
  OpsServer server;
  OpsEventsClient events(server.port(), "/ws/events?topics=sources");
  const auto deployed = post_csv(server.port(), "/api/v1/ops/priors?note=test", kPriors);
  ASSERT_EQ(deployed.status, 201U) << deployed.body;
  EXPECT_EQ(deployed.json()["active_version"], 1);
  // The topic also carries source_status every 10 s.
  const auto deploy_events =
      events.until([](const nlohmann::json& e) { return is_type(e, "priors_deployed"); });
  ASSERT_FALSE(deploy_events.empty());
  EXPECT_EQ(deploy_events.back()["type"], "priors_deployed");
  EXPECT_EQ(deploy_events.back()["data"]["version"], 1);

  const auto bad = post_csv(server.port(), "/api/v1/ops/priors",
                            "context,source,variable,sd\nreanalysis,nasa_power,tmax_c,zero\n");
  EXPECT_EQ(bad.status, 422U);
  EXPECT_NE(bad.json()["error"]["details"][0]["reason"].get<std::string>().find("line 2"),
            std::string::npos);
  EXPECT_EQ(http_get(server.port(), "/api/v1/ops/priors").json()["active_version"], 1);
  const auto json_body = http_post(server.port(), "/api/v1/ops/priors", "{}");
  EXPECT_EQ(json_body.status, 415U);

  const auto csv = http_get(server.port(), "/api/v1/ops/priors/1");
  EXPECT_EQ(csv.status, 200U);
  EXPECT_EQ(csv.body, kPriors);

  EXPECT_EQ(post_as(server.port(), "/api/v1/ops/priors/rollback", "").status, 200U);
  const auto rolled =
      events.until([](const nlohmann::json& e) { return is_type(e, "priors_deployed"); });
  ASSERT_FALSE(rolled.empty());
  EXPECT_EQ(rolled.back()["data"]["action"], "rollback");
  EXPECT_EQ(rolled.back()["data"]["version"], 0);
  const auto nothing = post_as(server.port(), "/api/v1/ops/priors/rollback", "");
  EXPECT_EQ(nothing.status, 409U);
  EXPECT_EQ(nothing.json()["error"]["code"], "NOTHING_TO_ROLL_BACK");
}

TEST(OpsApi, RerunSubmitsTheSameRequestAgain) {
  OpsServer server;
  server.fake().close_gate();
  const auto running = server.submit();
  const auto busy = post_as(server.port(), "/api/v1/tasks/" + running + "/rerun", "");
  EXPECT_EQ(busy.status, 409U);
  server.fake().open_gate();
  ASSERT_TRUE(eventually_state(server.tasks(), running, tasks::TaskState::success));
  const auto rerun = post_as(server.port(), "/api/v1/tasks/" + running + "/rerun", "");
  ASSERT_EQ(rerun.status, 202U) << rerun.body;
  const auto new_id = rerun.json()["task_id"].get<std::string>();
  EXPECT_NE(new_id, running);
  EXPECT_EQ(rerun.json()["rerun_of"], running);
  auto copy = server.tasks().get(new_id);
  ASSERT_TRUE(copy && *copy);
  EXPECT_EQ((*copy)->request, (**server.tasks().get(running)).request);
  EXPECT_EQ(
      post_as(server.port(), "/api/v1/tasks/0123456789abcdef0123456789abcdef/rerun", "").status,
      404U);
}

TEST(OpsApi, TaskRowsAreLightAndSearchable) {
  OpsServer server;
  const auto first = server.submit();
  ASSERT_TRUE(eventually_state(server.tasks(), first, tasks::TaskState::success));
  server.fake().behavior = FakeBehavior::fail;
  const auto second = server.submit();
  ASSERT_TRUE(eventually_state(server.tasks(), second, tasks::TaskState::error));
  const auto all = http_get(server.port(), "/api/v1/ops/tasks");
  ASSERT_EQ(all.status, 200U);
  const auto rows = all.json()["tasks"];
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0]["task_id"], second);  // newest first
  EXPECT_EQ(rows[0]["status"], "error");
  EXPECT_EQ(rows[0]["error_code"], "unavailable");
  EXPECT_EQ(rows[1]["status"], "success");
  EXPECT_EQ(rows[1]["latitude"], 39.5);
  EXPECT_FALSE(rows[1].contains("result"));
  EXPECT_EQ(http_get(server.port(), "/api/v1/ops/tasks?status=success").json()["tasks"].size(), 1U);
  const auto by_id = http_get(server.port(), "/api/v1/ops/tasks?q=" + first.substr(0, 6));
  ASSERT_EQ(by_id.json()["tasks"].size(), 1U);
  EXPECT_EQ(by_id.json()["tasks"][0]["task_id"], first);
  EXPECT_EQ(http_get(server.port(), "/api/v1/ops/tasks?q=39.5%2C%20-118.8").json()["tasks"].size(),
            2U);
  EXPECT_EQ(http_get(server.port(), "/api/v1/ops/tasks?q=12.3").json()["tasks"].size(), 0U);
  EXPECT_EQ(http_get(server.port(), "/api/v1/ops/tasks?limit=0").status, 422U);
}

TEST(OpsApi, WithAnAdminTokenMutationsNeedIt) {
  ServerConfig config;
  config.admin_token = kToken;
  OpsServer server(config);
  EXPECT_EQ(post_csv(server.port(), "/api/v1/ops/priors", kPriors).status, 403U);
  EXPECT_EQ(
      post_csv(server.port(), "/api/v1/ops/priors", kPriors, "wrong-token-but-long-enough").status,
      403U);
  EXPECT_EQ(
      post_csv(server.port(), "/api/v1/ops/priors", kPriors, std::string(kToken) + "x").status,
      403U);
  EXPECT_EQ(post_as(server.port(), "/api/v1/ops/priors/rollback", "").status, 403U);
  EXPECT_EQ(post_csv(server.port(), "/api/v1/ops/priors", kPriors, kToken).status, 201U);
  EXPECT_EQ(post_as(server.port(), "/api/v1/ops/priors/rollback", kToken).status, 200U);
  // The task table lists ids, and an id opens a task's results: it is the admin's, like
  // GET /api/v1/tasks.
  EXPECT_EQ(http_get(server.port(), "/api/v1/ops/tasks").status, 403U);
  EXPECT_EQ(get_as(server.port(), "/api/v1/ops/tasks", kToken).status, 200U);
  // Reading stays open.
  EXPECT_EQ(http_get(server.port(), "/api/v1/ops/overview").status, 200U);
  EXPECT_EQ(http_get(server.port(), "/api/v1/ops/priors").status, 200U);
}

TEST(OpsApi, OffLoopbackWithoutATokenMutationsAreRefusedWithHowToEnableThem) {
  ServerConfig config;
  config.host = "0.0.0.0";
  OpsServer server(config);
  const auto refused = post_csv(server.port(), "/api/v1/ops/priors", kPriors);
  EXPECT_EQ(refused.status, 403U);
  EXPECT_NE(refused.json()["error"]["message"].get<std::string>().find("EVAPO_ADMIN_TOKEN"),
            std::string::npos);
  EXPECT_EQ(http_get(server.port(), "/api/v1/ops/tasks").status, 403U);
  EXPECT_EQ(http_get(server.port(), "/api/v1/ops/overview").status, 200U);
}

}  // namespace
}  // namespace evapo::server::testing
