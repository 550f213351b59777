// Requests a hostile client sends on purpose: they are answered with a well-formed error and the
// server keeps serving everyone else.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

std::string raw_request(const std::string& method, const std::string& target,
                        const std::string& extra_headers = {}) {
  return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "\r\n";
}

// Issue 11 §4.1: a byte >= 0x80 in a task id segment was copied into the error message, the JSON
// body could not be built, and the exception ended the process.
TEST(HostileRequests, IdsThatAreNotTaskIdsAre404WithAValidJsonBodyAndTheServerLives) {
  RunningServer server;
  const std::string upgrade =
      "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  const std::vector<std::string> ids = {
      "\xff",
      "\xc3\x28",
      "0123456789abcdef0123456789abcde\xff",
      "0123456789ABCDEF0123456789ABCDEF",
      "0123456789abcdef0123456789abcdef0",
      "%ff",
      std::string(4000, 'a'),
  };
  for (const auto& id : ids) {
    SCOPED_TRACE(::testing::PrintToString(id.substr(0, 40)));
    const std::vector<std::string> requests = {
        raw_request("GET", "/api/v1/tasks/" + id),
        raw_request("DELETE", "/api/v1/tasks/" + id),
        raw_request("GET", "/api/v1/tasks/" + id + "/events"),
        raw_request("GET", "/ws/task_status/" + id, upgrade),
    };
    for (const auto& request : requests) {
      const auto answer = http_raw(server.port(), request);
      ASSERT_EQ(answer.status, 404U) << request.substr(0, 60);
      const auto body = answer.json();
      ASSERT_FALSE(body.is_discarded()) << answer.body;
      EXPECT_EQ(body["error"]["code"], "NOT_FOUND");
      EXPECT_EQ(answer.body.find('\xff'), std::string::npos);
    }
  }
  EXPECT_EQ(http_get(server.port(), "/healthz").status, 200U);
  const std::string id = server.submit();
  EXPECT_EQ(http_get(server.port(), "/api/v1/tasks/" + id).status, 200U);
}

// Issue 11 §4.5: each unknown HTTP method was a new metrics series (5,000 of them took /metrics
// from 7.4 KB to 1.08 MB).
TEST(HostileRequests, MadeUpMethodsDoNotGrowTheMetrics) {
  RunningServer server;
  int made_up = 0;
  const auto metrics_after = [&](int count) {
    for (int i = 0; i < count; ++i) {
      http_raw(server.port(), raw_request("M" + std::to_string(made_up++) + "X", "/healthz"));
    }
    return http_get(server.port(), "/metrics").body;
  };
  metrics_after(5);  // every series this test touches exists from here on
  const std::string before = metrics_after(5);
  const std::string after = metrics_after(300);
  EXPECT_LT(after.size(), before.size() + 200) << "the label set grew";
  EXPECT_EQ(after.find("method=\"M"), std::string::npos);
  EXPECT_NE(after.find("method=\"OTHER\""), std::string::npos);
}

}  // namespace
}  // namespace evapo::server::testing
