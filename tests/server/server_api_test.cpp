// The task API end to end over real sockets: POST, validation, errors, GET/list/DELETE, WebSocket
// and SSE streams, cancel, timeout, resume with since, slow consumer, 429, metrics.

#include <algorithm>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include <evapo/server/metrics.hpp>

#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

using tcp = net::ip::tcp;

std::vector<std::int64_t> one_to(std::int64_t n) {
  std::vector<std::int64_t> out;
  for (std::int64_t i = 1; i <= n; ++i) out.push_back(i);
  return out;
}

TEST(ServerApi, HappyPathPostThenWebSocketGetsEveryStepAndSuccessThenNormalClose) {
  RunningServer server;
  const auto posted =
      http_post(server.port(), "/api/v1/eto/calculations", RunningServer::kValidBody);
  ASSERT_EQ(posted.status, 202U) << posted.body;
  const auto answer = posted.json();
  const std::string id = answer.at("task_id");
  EXPECT_EQ(answer.at("status"), "queued");
  EXPECT_FALSE(answer.at("message").get<std::string>().empty());
  EXPECT_EQ(answer.at("links").at("websocket"), "/ws/task_status/" + id);
  EXPECT_EQ(answer.at("links").at("self"), "/api/v1/tasks/" + id);

  WsClient ws(server.port(), "/ws/task_status/" + id);
  const auto events = ws.read_all();
  EXPECT_EQ(ws.close_code(), 1000);
  ASSERT_EQ(events.size(), static_cast<std::size_t>(pipeline::kTotalSteps + 1));
  EXPECT_EQ(seqs(events), one_to(pipeline::kTotalSteps + 1));
  for (int i = 0; i < pipeline::kTotalSteps; ++i) {
    EXPECT_EQ(events[i].at("type"), "PROGRESS");
    EXPECT_EQ(events[i].at("task_id"), id);
    EXPECT_EQ(events[i].at("data").at("step"), pipeline::kSteps[i]);
    EXPECT_EQ(events[i].at("data").at("current_step"), i + 1);
    EXPECT_EQ(events[i].at("data").at("total_steps"), pipeline::kTotalSteps);
    EXPECT_TRUE(events[i].at("ts").get<std::string>().ends_with("Z"));
  }
  const auto& success = events.back();
  EXPECT_EQ(success.at("type"), "SUCCESS");
  EXPECT_EQ(success.at("data").at("results").size(), 10U);
  EXPECT_EQ(success.at("data").at("results")[0].at("date"), "2015-01-01");

  const auto record = http_get(server.port(), "/api/v1/tasks/" + id);
  ASSERT_EQ(record.status, 200U);
  EXPECT_EQ(record.json().at("status"), "success");
  EXPECT_EQ(record.json().at("progress"), 100);
  EXPECT_EQ(record.json().at("result").at("results").size(), 10U);
}

TEST(ServerApi, LegacyPathQueuesToo) {
  RunningServer server;
  const auto posted =
      http_post(server.port(), "/internal/eto/eto_calculate", RunningServer::kValidBody);
  ASSERT_EQ(posted.status, 202U) << posted.body;
  EXPECT_EQ(posted.json().at("status"), "queued");
}

struct ValidationCase {
  const char* name;
  const char* body;
  const char* field;
};

TEST(ServerApi, EachValidationErrorIs422WithItsField) {
  RunningServer server;
  const ValidationCase cases[] = {
      {"latitude missing", R"({"longitude":1,"start_date":"2015-01-01","end_date":"2015-01-02"})",
       "latitude"},
      {"latitude out of range",
       R"({"latitude":91,"longitude":1,"start_date":"2015-01-01","end_date":"2015-01-02"})",
       "latitude"},
      {"latitude a string",
       R"({"latitude":"x","longitude":1,"start_date":"2015-01-01","end_date":"2015-01-02"})",
       "latitude"},
      {"longitude out of range",
       R"({"latitude":1,"longitude":-181,"start_date":"2015-01-01","end_date":"2015-01-02"})",
       "longitude"},
      {"start_date missing", R"({"latitude":1,"longitude":1,"end_date":"2015-01-02"})",
       "start_date"},
      {"start_date not a day",
       R"({"latitude":1,"longitude":1,"start_date":"2015-02-30","end_date":"2015-03-02"})",
       "start_date"},
      {"end before start",
       R"({"latitude":1,"longitude":1,"start_date":"2015-01-05","end_date":"2015-01-02"})",
       "end_date"},
      {"mode unknown",
       R"({"latitude":1,"longitude":1,"start_date":"2015-01-01","end_date":"2015-01-02","mode":"past"})",
       "mode"},
      {"source unknown",
       R"({"latitude":1,"longitude":1,"start_date":"2015-01-01","end_date":"2015-01-02","sources":["x"]})",
       "sources[0]"},
      {"method unknown",
       R"({"latitude":1,"longitude":1,"start_date":"2015-01-01","end_date":"2015-01-02","method":"hargreaves"})",
       "method"},
      {"elevation out of range",
       R"({"latitude":1,"longitude":1,"start_date":"2015-01-01","end_date":"2015-01-02","elevation_m":10000})",
       "elevation_m"},
      {"unknown field",
       R"({"latitude":1,"longitude":1,"start_date":"2015-01-01","end_date":"2015-01-02","lat":1})",
       "lat"},
      {"before 1990 (pipeline rule)",
       R"({"latitude":1,"longitude":1,"start_date":"1980-01-01","end_date":"1980-01-02"})",
       "start_date"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto result = http_post(server.port(), "/api/v1/eto/calculations", c.body);
    EXPECT_EQ(result.status, 422U) << result.body;
    const auto body = result.json();
    ASSERT_TRUE(body.contains("error")) << result.body;
    EXPECT_EQ(body["error"]["code"], "VALIDATION_ERROR");
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
    bool found = false;
    for (const auto& detail : body["error"]["details"]) {
      found = found ||
              (detail.at("field") == c.field && !detail.at("reason").get<std::string>().empty());
    }
    EXPECT_TRUE(found) << result.body;
  }
}

TEST(ServerApi, MalformedJsonIs400AndOversizedBodyIs413) {
  ServerConfig config;
  config.body_limit_bytes = 1024;
  RunningServer server(config);
  const auto malformed = http_post(server.port(), "/api/v1/eto/calculations", "{\"latitude\": ");
  EXPECT_EQ(malformed.status, 400U);
  EXPECT_EQ(malformed.json()["error"]["code"], "BAD_REQUEST");
  const auto oversized = http_post(server.port(), "/api/v1/eto/calculations",
                                   R"({"pad":")" + std::string(4096, 'x') + R"("})");
  EXPECT_EQ(oversized.status, 413U);
  EXPECT_EQ(oversized.json()["error"]["code"], "PAYLOAD_TOO_LARGE");
}

TEST(ServerApi, UnknownTaskIs404EverywhereNeverPending) {
  RunningServer server;
  const std::string unknown = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(http_get(server.port(), "/api/v1/tasks/" + unknown).status, 404U);
  EXPECT_EQ(http_call(server.port(), http::verb::delete_, "/api/v1/tasks/" + unknown, {},
                      {{"Authorization", "Bearer " + server.cancel_token(server.submit())}})
                .status,
            403U);
  EXPECT_EQ(http_get(server.port(), "/api/v1/tasks/" + unknown + "/events").status, 404U);
  EXPECT_THROW(WsClient(server.port(), "/ws/task_status/" + unknown), boost::system::system_error);
  EXPECT_EQ(http_get(server.port(), "/api/v1/nothing").status, 404U);
  EXPECT_EQ(http_call(server.port(), http::verb::put, "/api/v1/tasks").status, 405U);
}

TEST(ServerApi, CancelEndsARunningTaskWithCancelled) {
  RunningServer server;
  server.fake().close_gate();
  const std::string id = server.submit();
  WsClient ws(server.port(), "/ws/task_status/" + id);
  for (int i = 0; i < server.fake().gate_after_step; ++i) ASSERT_TRUE(ws.next());
  const auto cancelled = server.cancel(id);
  ASSERT_EQ(cancelled.status, 200U) << cancelled.body;
  const auto rest = ws.read_all();
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.back().at("type"), "CANCELLED");
  EXPECT_EQ(rest.back().at("seq"), server.fake().gate_after_step + static_cast<int>(rest.size()));
  EXPECT_EQ(ws.close_code(), 1000);
  EXPECT_EQ(http_get(server.port(), "/api/v1/tasks/" + id).json().at("status"), "cancelled");
  const auto listed = http_get(server.port(), "/api/v1/tasks?status=cancelled").json();
  ASSERT_EQ(listed.at("tasks").size(), 1U);
  EXPECT_EQ(listed.at("tasks")[0].at("task_id"), id);
  EXPECT_EQ(http_get(server.port(), "/api/v1/tasks?status=bogus").status, 422U);
}

TEST(ServerApi, ATaskPastItsDeadlineEndsWithTimeout) {
  ServerConfig config;
  config.task_timeout_s = 1;
  RunningServer server(config);
  server.fake().behavior = FakeBehavior::hang;
  const std::string id = server.submit();
  WsClient ws(server.port(), "/ws/task_status/" + id);
  const auto events = ws.read_all();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().at("type"), "TIMEOUT");
  EXPECT_EQ(seqs(events), one_to(static_cast<std::int64_t>(events.size())));
  EXPECT_EQ(http_get(server.port(), "/api/v1/tasks/" + id).json().at("status"), "timeout");
}

TEST(ServerApi, AFailingCalculationEndsWithErrorEvent) {
  RunningServer server;
  server.fake().behavior = FakeBehavior::fail;
  const std::string id = server.submit();
  WsClient ws(server.port(), "/ws/task_status/" + id);
  const auto events = ws.read_all();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().at("type"), "ERROR");
  EXPECT_EQ(events.back().at("data").at("error_code"), "unavailable");
  EXPECT_FALSE(events.back().at("data").at("error").get<std::string>().empty());
}

TEST(ServerApi, ReconnectWithSinceMidTaskContinuesWithoutGapOrDuplicate) {
  RunningServer server;
  server.fake().close_gate();
  const std::string id = server.submit();
  std::vector<nlohmann::json> first;
  {
    WsClient ws(server.port(), "/ws/task_status/" + id);
    for (int i = 0; i < 2; ++i) first.push_back(*ws.next());
    ws.close();
  }
  WsClient resumed(server.port(), "/ws/task_status/" + id + "?since=" +
                                      std::to_string(first.back().at("seq").get<std::int64_t>()));
  auto next = resumed.next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->at("seq"), 3);  // stored while we were away
  server.fake().open_gate();      // the rest arrives live
  auto rest = resumed.read_all();
  rest.insert(rest.begin(), *next);
  rest.insert(rest.begin(), first.begin(), first.end());
  EXPECT_EQ(seqs(rest), one_to(pipeline::kTotalSteps + 1));
  EXPECT_EQ(rest.back().at("type"), "SUCCESS");
  EXPECT_EQ(resumed.close_code(), 1000);

  // After the end, a late subscriber still gets the whole history and a normal close.
  WsClient late(server.port(), "/ws/task_status/" + id + "?since=5");
  EXPECT_EQ(seqs(late.read_all()), (std::vector<std::int64_t>{6, 7, 8}));
  EXPECT_EQ(late.close_code(), 1000);
}

// The slow client stops reading while ~19 MB of progress is published; its bounded queue
// overflows and the server closes it with 1008. The test waits for that decision (the metric),
// not for a fixed time, and the close grace is long enough for a loaded machine: with the
// default 5 s a client starved that long sees the socket cut instead of the close frame (issue
// 11 §4.8: close code 0 on a loaded CI machine).
TEST(ServerApi, SlowConsumerIsClosedWith1008AndTheServerKeepsServing) {
  ServerConfig config;
  config.ws_send_queue_max_messages = 16;
  config.ws_send_queue_max_bytes = 256 * 1024;
  config.ws_close_grace_s = 120;
  RunningServer server(config);
  server.fake().behavior = FakeBehavior::flood;
  server.fake().flood_messages = 600;
  server.fake().flood_message_bytes = 32 * 1024;
  server.fake().close_gate();
  const std::string id = server.submit();
  WsClient slow(server.port(), "/ws/task_status/" + id, 4096);
  const auto closed_slow_consumers = [&] {
    return http_get(server.port(), "/metrics").body.find("evapo_slow_consumers_closed_total 1") !=
           std::string::npos;
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!closed_slow_consumers() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(closed_slow_consumers()) << "the server never gave up on the slow client";
  std::size_t received = 0;
  while (slow.next()) ++received;
  EXPECT_LT(received, 600U);
  EXPECT_EQ(slow.close_code(), 1008) << slow.error().message();
  EXPECT_NE(slow.close_reason().find("too slow"), std::string::npos);
  server.fake().open_gate();
  EXPECT_EQ(http_get(server.port(), "/healthz").status, 200U);
}

TEST(ServerApi, SseStreamsEventsAndResumesAfterLastEventId) {
  RunningServer server;
  const std::string id = server.submit();
  {
    WsClient ws(server.port(), "/ws/task_status/" + id);
    ws.read_all();  // wait until the task is done
  }
  const auto all = http_get(server.port(), "/api/v1/tasks/" + id + "/events");
  ASSERT_EQ(all.status, 200U);
  EXPECT_EQ(all.headers[http::field::content_type], "text/event-stream");
  EXPECT_NE(all.body.find("id: 1\nevent: PROGRESS\ndata: {"), std::string::npos);
  EXPECT_NE(all.body.find("id: 8\nevent: SUCCESS\ndata: {"), std::string::npos);
  const auto resumed = http_call(server.port(), http::verb::get, "/api/v1/tasks/" + id + "/events",
                                 {}, {{"Last-Event-ID", "6"}});
  ASSERT_EQ(resumed.status, 200U);
  EXPECT_EQ(resumed.body.find("id: 6\n"), std::string::npos);
  EXPECT_NE(resumed.body.find("id: 7\n"), std::string::npos);
  EXPECT_NE(resumed.body.find("id: 8\n"), std::string::npos);
  EXPECT_EQ(http_call(server.port(), http::verb::get, "/api/v1/tasks/" + id + "/events", {},
                      {{"Last-Event-ID", "x"}})
                .status,
            400U);
}

TEST(ServerApi, TooManyRequestsIs429WithRetryAfter) {
  ServerConfig config;
  // One token per 100 s: however slowly this machine sends the four POSTs, none refills.
  config.rate_limit_per_s = 0.01;
  config.rate_limit_burst = 2;
  RunningServer server(config);
  std::vector<unsigned> statuses;
  HttpResult limited;
  for (int i = 0; i < 4; ++i) {
    auto result = http_post(server.port(), "/api/v1/eto/calculations", RunningServer::kValidBody);
    statuses.push_back(result.status);
    if (result.status == 429U) limited = result;
  }
  EXPECT_EQ(statuses[0], 202U);
  EXPECT_EQ(statuses[1], 202U);
  EXPECT_EQ(statuses[3], 429U);
  EXPECT_EQ(limited.json()["error"]["code"], "RATE_LIMITED");
  EXPECT_GE(std::stoi(std::string(limited.headers[http::field::retry_after])), 1);
  EXPECT_EQ(http_get(server.port(), "/healthz").status, 200U);  // reads are not limited
}

// Issue 11 §4.7: the rate limit is per address (20 addresses had 872 tasks accepted in 0.2 s);
// the queue as a whole is bounded too.
TEST(ServerApi, AFullQueueIs503WithRetryAfterUntilItDrains) {
  ServerConfig config;
  config.max_queued_tasks = 3;
  config.workers = 2;
  config.rate_limit_per_s = 0;
  RunningServer server(config);
  server.fake().close_gate();
  std::vector<unsigned> statuses;
  HttpResult refused;
  for (int i = 0; i < 8; ++i) {
    const auto answer =
        http_post(server.port(), "/api/v1/eto/calculations", RunningServer::kValidBody);
    statuses.push_back(answer.status);
    if (answer.status != 202U) refused = answer;
  }
  // Two are being run by the two workers (or about to be), three wait: at most five accepted.
  EXPECT_LE(std::count(statuses.begin(), statuses.end(), 202U), 5)
      << ::testing::PrintToString(statuses);
  EXPECT_GE(std::count(statuses.begin(), statuses.end(), 202U), 3);
  ASSERT_EQ(refused.status, 503U);
  EXPECT_EQ(refused.json()["error"]["code"], "QUEUE_FULL");
  EXPECT_GE(std::stoi(std::string(refused.headers[http::field::retry_after])), 1);
  server.fake().open_gate();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (server.tasks().queue_depth().value_or(1) > 0 &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(http_post(server.port(), "/api/v1/eto/calculations", RunningServer::kValidBody).status,
            202U);
}

TEST(ServerApi, APostOnAKeepAliveConnectionDuringShutdownIsRefusedWith503) {
  RunningServer server;
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
  // One request first, so that the server has accepted this connection before it stops.
  http::request<http::string_body> health{http::verb::get, "/healthz", 11};
  health.set(http::field::host, "127.0.0.1");
  http::write(stream, health);
  beast::flat_buffer buffer;
  http::response<http::string_body> healthy;
  http::read(stream, buffer, healthy);
  ASSERT_EQ(healthy.result_int(), 200U);
  ASSERT_TRUE(healthy.keep_alive());
  server.server().stop_accepting();
  http::request<http::string_body> request{http::verb::post, "/api/v1/eto/calculations", 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.body() = RunningServer::kValidBody;
  request.prepare_payload();
  http::write(stream, request);
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  EXPECT_EQ(response.result_int(), 503U);
  EXPECT_EQ(nlohmann::json::parse(response.body())["error"]["code"], "UNAVAILABLE");
  EXPECT_EQ(response[http::field::retry_after], "5");
  EXPECT_FALSE(response.keep_alive());
  auto listed = server.tasks().list({});
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->tasks.empty()) << "a task was created during shutdown";
}

TEST(ServerApi, HealthReadinessAndMetrics) {
  RunningServer server;
  EXPECT_EQ(http_get(server.port(), "/healthz").status, 200U);
  EXPECT_EQ(http_get(server.port(), "/readyz").status, 200U);
  const std::string id = server.submit();
  WsClient ws(server.port(), "/ws/task_status/" + id);
  ws.read_all();
  const auto metrics = http_get(server.port(), "/metrics");
  ASSERT_EQ(metrics.status, 200U);
  EXPECT_EQ(metrics.headers[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics.body;
  EXPECT_NE(
      text.find(
          R"(evapo_http_requests_total{route="create_calculation",method="POST",status="202"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(evapo_http_request_duration_seconds_count{route="create_calculation"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(evapo_tasks{state="success"} 1)"), std::string::npos);
  EXPECT_NE(text.find("evapo_task_queue_depth 0"), std::string::npos);
  EXPECT_NE(text.find("evapo_websocket_connections"), std::string::npos);
  server.server().stop_accepting();
  // The acceptor closes on its own strand, a moment later; meanwhile readiness says 503.
  unsigned status = http_get(server.port(), "/readyz").status;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (status != 0U && std::chrono::steady_clock::now() < give_up) {
    EXPECT_EQ(status, 503U);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    status = http_get(server.port(), "/readyz").status;
  }
  EXPECT_EQ(status, 0U) << "still accepting connections";
}

}  // namespace
}  // namespace evapo::server::testing
