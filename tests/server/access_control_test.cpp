// Who may do what (issue 11 §4.3): a task is cancelled only with its own cancel token or the
// admin token; state-changing requests and WebSocket upgrades only from trusted origins; JSON
// bodies only as application/json; CORS only when configured; /metrics only where allowed.

#include <string>

#include <gtest/gtest.h>

#include <evapo/server/access_policy.hpp>
#include <evapo/server/task_capability.hpp>

#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

constexpr const char* kAdminToken = "an-admin-token-long-enough-0123";

std::string upgrade_request(const std::string& target, const std::string& extra = {}) {
  return "GET " + target +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
         "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
         extra + "\r\n";
}

std::string post_request(const std::string& body, const std::string& headers) {
  return "POST /api/v1/eto/calculations HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(AccessControl, OnlyTheTasksOwnTokenOrTheAdminTokenCancelsIt) {
  ServerConfig config;
  config.admin_token = kAdminToken;
  RunningServer server(config);
  server.fake().close_gate();
  const std::string mine = server.submit();
  const std::string theirs = server.submit();
  const auto del = [&](const std::string& id, const std::string& bearer) {
    std::map<std::string, std::string> headers;
    if (!bearer.empty()) headers["Authorization"] = "Bearer " + bearer;
    return http_call(server.port(), http::verb::delete_, "/api/v1/tasks/" + id, {}, headers);
  };
  const auto anonymous = del(theirs, "");
  EXPECT_EQ(anonymous.status, 403U);
  EXPECT_EQ(anonymous.json()["error"]["code"], "FORBIDDEN");
  EXPECT_EQ(del(theirs, server.cancel_token(mine)).status, 403U) << "another task's token";
  EXPECT_EQ(del(theirs, std::string(64, '0')).status, 403U);
  EXPECT_EQ(del(theirs, std::string(kAdminToken) + "x").status, 403U);
  EXPECT_NE(http_get(server.port(), "/api/v1/tasks/" + theirs).json().at("status"), "cancelled");

  const auto own = del(mine, server.cancel_token(mine));
  ASSERT_EQ(own.status, 200U) << own.body;
  EXPECT_EQ(own.json().at("status"), "cancelled");
  const auto admin = del(theirs, kAdminToken);
  ASSERT_EQ(admin.status, 200U) << admin.body;
  EXPECT_EQ(admin.json().at("status"), "cancelled");
  EXPECT_EQ(del("0123456789abcdef0123456789abcdef", kAdminToken).status, 404U);
}

TEST(AccessControl, CrossOriginUpgradesAndPostsAreRefusedSameOriginAndAllowedOnesAccepted) {
  ServerConfig config;
  config.allowed_origins = "https://partner.example, http://localhost:5173";
  RunningServer server(config);
  server.fake().close_gate();
  const std::string id = server.submit();
  const std::string target = "/ws/task_status/" + id;

  const auto evil =
      http_raw(server.port(), upgrade_request(target, "Origin: http://evil.example\r\n"));
  EXPECT_EQ(evil.status, 403U);
  EXPECT_EQ(evil.json()["error"]["code"], "FORBIDDEN_ORIGIN");
  EXPECT_EQ(http_raw(server.port(), upgrade_request(target, "Origin: null\r\n")).status, 403U);
  EXPECT_EQ(http_raw(server.port(), upgrade_request(target, "Origin: http://127.0.0.1\r\n")).status,
            101U)
      << "the server's own origin";
  EXPECT_EQ(http_raw(server.port(), upgrade_request(target, "Origin: HTTPS://Partner.Example\r\n"))
                .status,
            101U);
  EXPECT_EQ(http_raw(server.port(), upgrade_request(target)).status, 101U)
      << "no Origin: no browser";

  const std::string body = RunningServer::kValidBody;
  const auto cross_post = http_raw(
      server.port(),
      post_request(body, "Origin: http://evil.example\r\nContent-Type: application/json\r\n"));
  EXPECT_EQ(cross_post.status, 403U);
  EXPECT_EQ(cross_post.json()["error"]["code"], "FORBIDDEN_ORIGIN");
  const auto cross_delete = http_call(
      server.port(), http::verb::delete_, "/api/v1/tasks/" + id, {},
      {{"Origin", "http://evil.example"}, {"Authorization", "Bearer " + server.cancel_token(id)}});
  EXPECT_EQ(cross_delete.status, 403U);
  EXPECT_EQ(http_raw(server.port(), post_request(body,
                                                 "Origin: http://localhost:5173\r\n"
                                                 "Content-Type: application/json\r\n"))
                .status,
            202U);
}

TEST(AccessControl, JsonBodiesNeedTheJsonContentType) {
  RunningServer server;
  const std::string body = RunningServer::kValidBody;
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x", "application/jsonx", ""}) {
    const std::string header = *type ? std::string("Content-Type: ") + type + "\r\n" : "";
    const auto answer = http_raw(server.port(), post_request(body, header));
    EXPECT_EQ(answer.status, 415U) << type;
    EXPECT_EQ(answer.json()["error"]["code"], "UNSUPPORTED_MEDIA_TYPE") << type;
  }
  EXPECT_EQ(http_raw(server.port(),
                     post_request(body, "Content-Type: Application/JSON; charset=utf-8\r\n"))
                .status,
            202U);
}

TEST(AccessControl, CorsIsOffByDefaultAndAnswersOnlyAllowedOriginsWhenOn) {
  const std::string preflight =
      "OPTIONS /api/v1/eto/calculations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Origin: https://partner.example\r\nAccess-Control-Request-Method: POST\r\n"
      "Access-Control-Request-Headers: content-type\r\n\r\n";
  {
    ServerConfig config;
    config.allowed_origins = "https://partner.example";
    RunningServer server(config);
    const auto answer = http_raw(server.port(), preflight);
    EXPECT_EQ(answer.status, 405U);
    EXPECT_EQ(answer.headers.count(http::field::access_control_allow_origin), 0U);
    const auto get = http_call(server.port(), http::verb::get, "/healthz", {},
                               {{"Origin", "https://partner.example"}});
    EXPECT_EQ(get.headers.count(http::field::access_control_allow_origin), 0U);
  }
  ServerConfig config;
  config.allowed_origins = "https://partner.example";
  config.cors = true;
  RunningServer server(config);
  const auto answer = http_raw(server.port(), preflight);
  EXPECT_EQ(answer.status, 204U);
  EXPECT_EQ(answer.headers[http::field::access_control_allow_origin], "https://partner.example");
  EXPECT_NE(answer.headers[http::field::access_control_allow_methods].find("POST"),
            std::string::npos);
  EXPECT_NE(answer.headers[http::field::access_control_allow_headers].find("Content-Type"),
            std::string::npos);
  const auto allowed = http_call(server.port(), http::verb::get, "/healthz", {},
                                 {{"Origin", "https://partner.example"}});
  EXPECT_EQ(allowed.headers[http::field::access_control_allow_origin], "https://partner.example");
  EXPECT_EQ(allowed.headers[http::field::vary], "Origin");
  const auto other = http_call(server.port(), http::verb::get, "/healthz", {},
                               {{"Origin", "https://other.example"}});
  EXPECT_EQ(other.headers.count(http::field::access_control_allow_origin), 0U);
  std::string other_preflight = preflight;
  other_preflight.replace(other_preflight.find("partner"), 7, "someone");
  EXPECT_EQ(http_raw(server.port(), other_preflight).status, 405U);
}

TEST(AccessControl, ALoopbackServerRefusesForeignHostNames) {
  RunningServer server;
  const auto rebound =
      http_raw(server.port(), "GET /healthz HTTP/1.1\r\nHost: evil.example:80\r\n\r\n");
  EXPECT_EQ(rebound.status, 403U);
  EXPECT_EQ(rebound.json()["error"]["code"], "FORBIDDEN_HOST");
  for (const char* host : {"localhost:1", "127.0.0.1", "[::1]:8000", "app.localhost"}) {
    EXPECT_EQ(
        http_raw(server.port(), std::string("GET /healthz HTTP/1.1\r\nHost: ") + host + "\r\n\r\n")
            .status,
        200U)
        << host;
  }
}

TEST(AccessControl, ListingNeedsTheAdminTokenWhenOneIsSet) {
  ServerConfig config;
  config.admin_token = kAdminToken;
  RunningServer server(config);
  server.submit();
  EXPECT_EQ(http_get(server.port(), "/api/v1/tasks").status, 403U);
  const auto listed = http_call(server.port(), http::verb::get, "/api/v1/tasks", {},
                                {{"Authorization", std::string("Bearer ") + kAdminToken}});
  ASSERT_EQ(listed.status, 200U);
  EXPECT_EQ(listed.json().at("tasks").size(), 1U);
}

HttpRequest request_with_bearer(const std::string& token) {
  HttpRequest request{http::verb::get, "/metrics", 11};
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  return request;
}

TEST(AccessPolicyRules, MetricsAndAdminAccessByPeerBindAndToken) {
  ServerConfig loopback;
  const AccessPolicy local(loopback);
  EXPECT_FALSE(local.refuse(Access::metrics, request_with_bearer(""), "127.0.0.1"));
  EXPECT_FALSE(local.refuse(Access::metrics, request_with_bearer(""), "::1"));
  EXPECT_FALSE(local.refuse(Access::metrics, request_with_bearer(""), "::ffff:127.0.0.1"));
  EXPECT_TRUE(local.refuse(Access::metrics, request_with_bearer(""), "192.0.2.7"));
  EXPECT_FALSE(local.refuse(Access::admin, request_with_bearer(""), "192.0.2.7"))
      << "no admin token on a loopback-bound server: its own machine administers it";

  ServerConfig exposed;
  exposed.host = "0.0.0.0";
  exposed.metrics_token = "metrics-token-0123456789";
  const AccessPolicy policy(exposed);
  const auto refused = policy.refuse(Access::metrics, request_with_bearer(""), "192.0.2.7");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->result_int(), 403U);
  EXPECT_FALSE(
      policy.refuse(Access::metrics, request_with_bearer("metrics-token-0123456789"), "192.0.2.7"));
  EXPECT_TRUE(
      policy.refuse(Access::metrics, request_with_bearer("metrics-token-012345678"), "192.0.2.7"));
  const auto admin = policy.refuse(Access::admin, request_with_bearer(""), "127.0.0.1");
  ASSERT_TRUE(admin) << "an exposed server without an admin token has no admin";
  EXPECT_NE(admin->body().find("EVAPO_ADMIN_TOKEN"), std::string::npos);

  exposed.metrics_access = "any";
  EXPECT_FALSE(AccessPolicy(exposed).refuse(Access::metrics, request_with_bearer(""), "192.0.2.7"));
}

TEST(AccessPolicyRules, SecretsCompareWholeAndCancelTokensAreBoundToTheirTask) {
  EXPECT_TRUE(secrets_equal("abc", "abc"));
  EXPECT_FALSE(secrets_equal("abc", "abd"));
  EXPECT_FALSE(secrets_equal("ab", "abc"));
  EXPECT_FALSE(secrets_equal("", "")) << "no configured secret matches nothing";
  const TaskCapability capability("a-key-of-at-least-16-bytes");
  const std::string id = "0123456789abcdef0123456789abcdef";
  const std::string token = capability.token_for(id);
  EXPECT_EQ(token.size(), 64U);
  EXPECT_TRUE(capability.allows_cancel(id, token));
  EXPECT_FALSE(capability.allows_cancel("0123456789abcdef0123456789abcdee", token));
  EXPECT_FALSE(TaskCapability("another-key-of-16-bytes").allows_cancel(id, token));
  EXPECT_EQ(TaskCapability("a-key-of-at-least-16-bytes").token_for(id), token)
      << "the same key gives the same tokens (restarts, several servers)";
}

TEST(AccessPolicyRules, TheTaskKeyIsCreatedOnceAndKept) {
  const auto dir = temp_dir("task_key");
  auto first = load_or_create_task_key(dir.string());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_GE(first->size(), 32U);
  auto second = load_or_create_task_key(dir.string());
  ASSERT_TRUE(second);
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(
      std::filesystem::status(dir / "task_token.key").permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace evapo::server::testing
