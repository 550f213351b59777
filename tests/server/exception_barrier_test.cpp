// No exception from a handler or a completion may end the server process.

#include <atomic>
#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <evapo/server/exception_barrier.hpp>
#include <evapo/server/http_error.hpp>

namespace evapo::server {
namespace {

TEST(ExceptionBarrier, AThrowingHandlerBecomesA500WithoutItsText) {
  const HttpRequest request{boost::beast::http::verb::get, "/x", 11};
  const Handler throwing = [](const HttpRequest&, const PathParams&) -> HttpResponse {
    throw std::runtime_error("secret detail of the backend");
  };
  const HttpResponse response = call_guarded(throwing, "test_route", request, {});
  EXPECT_EQ(response.result_int(), 500U);
  const auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "INTERNAL_ERROR");
  EXPECT_EQ(response.body().find("secret"), std::string::npos);

  const Handler nlohmann_throwing = [](const HttpRequest&, const PathParams&) -> HttpResponse {
    return json_response(HttpRequest{}, boost::beast::http::status::ok,
                         nlohmann::json(std::string("\xff")).dump());  // type_error.316
  };
  EXPECT_EQ(call_guarded(nlohmann_throwing, "test_route", request, {}).result_int(), 500U);
}

TEST(ExceptionBarrier, AThrowingCompletionIsLoggedAndTheLoopRunsTheRest) {
  boost::asio::io_context ioc;
  std::atomic<int> ran{0};
  boost::asio::post(ioc, [] { throw std::runtime_error("from a completion"); });
  boost::asio::post(ioc, [&] { ++ran; });
  boost::asio::post(ioc, [] { throw 42; });
  boost::asio::post(ioc, [&] { ++ran; });
  run_guarded(ioc);  // returns once the work is done
  EXPECT_EQ(ran.load(), 2);
}

TEST(ExceptionBarrier, ErrorBodiesAreValidJsonWhateverBytesTheMessageHolds) {
  const HttpRequest request{boost::beast::http::verb::get, "/x", 11};
  const std::string hostile = "no task with id \xff\xfe\xc3\x28 \x01";
  const HttpResponse response = error_response(request, boost::beast::http::status::not_found,
                                               "NOT_FOUND", hostile, {{"\xff", "\xc0\x80"}});
  const auto body = nlohmann::json::parse(response.body(), nullptr, false);
  ASSERT_FALSE(body.is_discarded());
  EXPECT_EQ(body["error"]["code"], "NOT_FOUND");
  EXPECT_NE(body["error"]["message"].get<std::string>().find("\xef\xbf\xbd"), std::string::npos);
}

}  // namespace
}  // namespace evapo::server
