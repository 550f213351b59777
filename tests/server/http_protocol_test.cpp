// HTTP details a client may rely on (issue 11 §4.6): Allow on 405, HEAD on every plain GET route,
// 414 and 431 for oversized heads, nosniff everywhere, a Content-Security-Policy and no framing.

#include <fstream>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

using tcp = net::ip::tcp;

// A HEAD request: the parser must not wait for the body the Content-Length announces.
HttpResult http_head(std::uint16_t port, const std::string& target) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> request{http::verb::head, target, 11};
  request.set(http::field::host, "127.0.0.1");
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.skip(true);
  http::read(stream, buffer, parser);
  HttpResult result;
  result.status = parser.get().result_int();
  result.body = parser.get().body();
  result.headers = parser.get().base();
  // Nothing may follow the head: the next bytes would be read as the next response.
  stream.expires_after(std::chrono::milliseconds(300));
  char extra = 0;
  beast::error_code ec;
  stream.read_some(net::buffer(&extra, 1), ec);
  EXPECT_TRUE(ec) << "bytes after a HEAD answer";
  return result;
}

TEST(HttpProtocol, A405SaysWhichMethodsThePathTakes) {
  RunningServer server;
  const std::string id = server.submit();
  struct Case {
    http::verb method;
    std::string target;
    std::string allow;
  };
  const Case cases[] = {
      {http::verb::put, "/api/v1/tasks", "GET, HEAD"},
      {http::verb::delete_, "/healthz", "GET, HEAD"},
      {http::verb::post, "/api/v1/tasks/" + id, "GET, HEAD, DELETE"},
      {http::verb::get, "/api/v1/eto/calculations", "POST"},
      {http::verb::post, "/ws/task_status/" + id, "GET"},
  };
  for (const auto& c : cases) {
    const auto answer = http_call(server.port(), c.method, c.target, "{}");
    EXPECT_EQ(answer.status, 405U) << c.target;
    EXPECT_EQ(answer.headers[http::field::allow], c.allow) << c.target;
  }
}

TEST(HttpProtocol, HeadAnswersEveryPlainGetRouteWithItsHeadOnly) {
  RunningServer server;
  const std::string id = server.submit();
  const std::vector<std::string> targets = {
      "/healthz", "/readyz", "/metrics", "/openapi.json", "/api/v1/tasks/" + id, "/api/v1/tasks"};
  for (const auto& target : targets) {
    const auto get = http_get(server.port(), target);
    const auto head = http_head(server.port(), target);
    EXPECT_EQ(head.status, get.status) << target;
    EXPECT_EQ(head.status, 200U) << target;
    EXPECT_TRUE(head.body.empty()) << target;
    EXPECT_EQ(head.headers[http::field::content_type], get.headers[http::field::content_type]);
    EXPECT_FALSE(head.headers[http::field::content_length].empty()) << target;
  }
  EXPECT_EQ(http_head(server.port(), "/api/v1/tasks/0123456789abcdef0123456789abcdef").status,
            404U);
}

TEST(HttpProtocol, OversizedUrlsAre414AndOversizedHeadersAre431) {
  RunningServer server;
  const auto long_url = http_raw(server.port(), "GET /api/v1/tasks?x=" + std::string(20000, 'a') +
                                                    " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(long_url.status, 414U);
  EXPECT_EQ(long_url.json()["error"]["code"], "URI_TOO_LONG");
  const auto long_target = http_raw(
      server.port(), "GET /healthz?x=" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(long_target.status, 414U) << "under the head limit, over the URL limit";
  const auto big_headers = http_raw(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " +
                                                       std::string(20000, 'b') + "\r\n\r\n");
  EXPECT_EQ(big_headers.status, 431U);
  EXPECT_EQ(big_headers.json()["error"]["code"], "HEADERS_TOO_LARGE");
  EXPECT_EQ(http_get(server.port(), "/healthz").status, 200U);
}

TEST(HttpProtocol, EveryAnswerIsNosniffAndUnframableHtmlHasAPolicy) {
  const auto dir = temp_dir("protocol_static");
  std::filesystem::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<!doctype html><title>evapo</title>";
  std::ofstream(dir / "assets/app-1.js") << "console.log(1)";
  ServerConfig config;
  config.web_root = dir.string();
  RunningServer server(config);
  for (const std::string target : {"/healthz", "/api/v1/nothing", "/metrics", "/openapi.json",
                                   "/assets/app-1.js", "/", "/eto"}) {
    const auto answer = http_get(server.port(), target);
    EXPECT_EQ(answer.headers["X-Content-Type-Options"], "nosniff") << target;
    const std::string policy(answer.headers["Content-Security-Policy"]);
    EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << target;
  }
  const auto page = http_get(server.port(), "/");
  EXPECT_EQ(page.headers["X-Frame-Options"], "DENY");
  const std::string policy(page.headers["Content-Security-Policy"]);
  EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("connect-src 'self'"), std::string::npos) << policy;
  const auto api = http_get(server.port(), "/healthz");
  EXPECT_EQ(std::string(api.headers["Content-Security-Policy"]),
            "default-src 'none'; frame-ancestors 'none'");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace evapo::server::testing
