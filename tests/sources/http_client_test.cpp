#include <atomic>
#include <thread>

#include <gtest/gtest.h>
#include <support/upstream_simulator.hpp>

#include <evapo/sources/http_client.hpp>
#include <evapo/sources/open_meteo_client.hpp>

#include "fixture_path.hpp"

namespace evapo::sources {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using test::day;

// One simulator for the whole suite; each test clears the faults it armed.
class HttpClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { sim_ = new testing::UpstreamSimulator(); }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }
  void TearDown() override { sim_->clear_faults(); }

  static HttpClientOptions fast_options() {
    HttpClientOptions options;
    options.backoff_base = milliseconds{20};
    options.backoff_max = milliseconds{100};
    options.request_timeout = milliseconds{3000};
    return options;
  }

  std::string archive_url(int days = 10) const {
    return open_meteo_url(domain::SourceId::open_meteo_archive, sim_->base_url(),
                          {39.46, -118.77, std::nullopt}, day(2015, 1, 1),
                          domain::add_days(day(2015, 1, 1), days - 1),
                          domain::TimeZone::from_longitude(-118.77));
  }

  static testing::UpstreamSimulator* sim_;
};

testing::UpstreamSimulator* HttpClientTest::sim_ = nullptr;

TEST_F(HttpClientTest, PlainRequestSucceedsAndIsCounted) {
  HttpClient http(fast_options());
  const auto response = http.perform(get_request(archive_url(), "open_meteo_archive"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->attempts, 1);
  EXPECT_NE(response->content_type.find("application/json"), std::string::npos);
  const auto series = parse_open_meteo_daily(domain::SourceId::open_meteo_archive, response->body);
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(series->days.size(), 10U);
  const auto counts = http.counters();
  ASSERT_EQ(counts.count("open_meteo_archive"), 1U);
  EXPECT_EQ(counts.at("open_meteo_archive").requests, 1U);
  EXPECT_EQ(counts.at("open_meteo_archive").errors, 0U);
}

TEST_F(HttpClientTest, AcceptsGzipAndDecodesIt) {
  // The simulator compresses bodies over 1 KiB for clients that accept gzip, as MET Norway does.
  HttpClient http(fast_options());
  const auto response = http.perform(get_request(archive_url(200), "open_meteo_archive"));
  ASSERT_TRUE(response) << response.error().message;
  const auto series = parse_open_meteo_daily(domain::SourceId::open_meteo_archive, response->body);
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(series->days.size(), 200U);
}

TEST_F(HttpClientTest, ReusesConnectionsAcrossCalls) {
  HttpClient http(fast_options());
  ASSERT_TRUE(http.perform(get_request(archive_url(1), "open_meteo_archive")));
  const auto before = sim_->stats()["connections"].get<int>();
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(http.perform(get_request(archive_url(2), "open_meteo_archive")));
  // The stats request itself opens one connection of its own.
  EXPECT_EQ(sim_->stats()["connections"].get<int>(), before + 1);
}

TEST_F(HttpClientTest, RetriesA429AfterRetryAfter) {
  sim_->set_fault(
      R"({"source":"open_meteo_archive","fault":"status_429","count":1,"retry_after_s":1})");
  HttpClient http(fast_options());
  std::vector<TransferEvent> events;
  const auto start = Clock::now();
  const auto response = http.perform(get_request(archive_url(), "open_meteo_archive"), {},
                                     [&](const TransferEvent& e) { events.push_back(e); });
  const auto elapsed = Clock::now() - start;
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->attempts, 2);
  EXPECT_GE(elapsed, milliseconds{950});  // honoured Retry-After: 1 (backoff alone is 20 ms)
  EXPECT_LT(elapsed, milliseconds{3000});
  ASSERT_GE(events.size(), 3U);
  EXPECT_EQ(events[1].kind, TransferEvent::Kind::retrying);
  EXPECT_EQ(events[1].status, 429);
  EXPECT_EQ(http.counters().at("open_meteo_archive").retries, 1U);
}

TEST_F(HttpClientTest, ServerErrorThenSuccess) {
  sim_->set_fault(R"({"source":"open_meteo_archive","fault":"status_500","count":2})");
  HttpClient http(fast_options());
  const auto response = http.perform(get_request(archive_url(), "open_meteo_archive"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->attempts, 3);
}

TEST_F(HttpClientTest, PersistentServerErrorReturnsTheLastResponse) {
  sim_->set_fault(R"({"source":"open_meteo_archive","fault":"status_500","count":5})");
  HttpClient http(fast_options());
  const auto response = http.perform(get_request(archive_url(), "open_meteo_archive"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->attempts, 3);
  EXPECT_EQ(open_meteo_error(response->status, response->body).code,
            domain::ErrorCode::unavailable);
  EXPECT_EQ(http.counters().at("open_meteo_archive").errors, 1U);
}

TEST_F(HttpClientTest, ConnectionResetIsRetried) {
  sim_->set_fault(R"({"source":"open_meteo_archive","fault":"reset","count":1})");
  HttpClient http(fast_options());
  const auto response = http.perform(get_request(archive_url(), "open_meteo_archive"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->attempts, 2);
}

TEST_F(HttpClientTest, TruncatedBodyIsRetried) {
  for (const int days : {10, 300}) {  // plain, then gzip-compressed
    sim_->set_fault(R"({"source":"open_meteo_archive","fault":"truncated","count":1})");
    HttpClient http(fast_options());
    const auto response = http.perform(get_request(archive_url(days), "open_meteo_archive"));
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->attempts, 2) << days;
    const auto series =
        parse_open_meteo_daily(domain::SourceId::open_meteo_archive, response->body);
    ASSERT_TRUE(series) << series.error().message;
    EXPECT_EQ(series->days.size(), static_cast<std::size_t>(days));
  }
}

TEST_F(HttpClientTest, TruncatedEveryTimeIsUnavailable) {
  sim_->set_fault(R"({"source":"open_meteo_archive","fault":"truncated","count":3})");
  HttpClient http(fast_options());
  const auto response = http.perform(get_request(archive_url(), "open_meteo_archive"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, domain::ErrorCode::unavailable);
}

TEST_F(HttpClientTest, InvalidJsonIsAnUpstreamErrorNotARetry) {
  sim_->set_fault(R"({"source":"open_meteo_archive","fault":"invalid_json","count":1})");
  HttpClient http(fast_options());
  const auto response = http.perform(get_request(archive_url(), "open_meteo_archive"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  const auto series = parse_open_meteo_daily(domain::SourceId::open_meteo_archive, response->body);
  ASSERT_FALSE(series);
  EXPECT_EQ(series.error().code, domain::ErrorCode::upstream);
}

TEST_F(HttpClientTest, AttemptTimeoutThenRetrySucceeds) {
  sim_->set_fault(R"({"source":"open_meteo_archive","fault":"delay","count":1,"delay_ms":1500})");
  auto options = fast_options();
  options.request_timeout = milliseconds{300};
  HttpClient http(options);
  const auto start = Clock::now();
  const auto response = http.perform(get_request(archive_url(), "open_meteo_archive"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->attempts, 2);
  EXPECT_LT(Clock::now() - start, milliseconds{1400});
  EXPECT_EQ(http.counters().at("open_meteo_archive").timeouts, 1U);
}

TEST_F(HttpClientTest, TimeoutOnEveryAttemptIsATimeoutError) {
  sim_->set_fault(R"({"source":"open_meteo_archive","fault":"delay","count":2,"delay_ms":1500})");
  auto options = fast_options();
  options.request_timeout = milliseconds{200};
  options.max_attempts = 2;
  HttpClient http(options);
  const auto response = http.perform(get_request(archive_url(), "open_meteo_archive"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, domain::ErrorCode::timeout);
}

TEST_F(HttpClientTest, DeadlineStopsWaitingWithoutHanging) {
  sim_->set_fault(R"({"source":"open_meteo_archive","fault":"delay","count":1,"delay_ms":5000})");
  HttpClient http(fast_options());
  FetchControl control;
  control.deadline = Clock::now() + milliseconds{300};
  const auto start = Clock::now();
  const auto response = http.perform(get_request(archive_url(), "open_meteo_archive"), control);
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, domain::ErrorCode::timeout);
  EXPECT_LT(elapsed, milliseconds{1000});
}

TEST_F(HttpClientTest, RetryAfterBeyondTheDeadlineIsNotWaitedFor) {
  sim_->set_fault(
      R"({"source":"open_meteo_archive","fault":"status_429","count":1,"retry_after_s":30})");
  HttpClient http(fast_options());
  FetchControl control;
  control.deadline = Clock::now() + milliseconds{2000};
  const auto start = Clock::now();
  const auto response = http.perform(get_request(archive_url(), "open_meteo_archive"), control);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(response->retry_after, std::chrono::seconds{30});
  EXPECT_LT(Clock::now() - start, milliseconds{1000});
}

TEST_F(HttpClientTest, CancellationStopsAllTransfers) {
  sim_->set_fault(R"({"source":"open_meteo_archive","fault":"delay","count":3,"delay_ms":5000})");
  HttpClient http(fast_options());
  std::atomic<bool> cancelled{false};
  FetchControl control;
  control.cancelled = &cancelled;
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds{200});
    cancelled = true;
  });
  const auto start = Clock::now();
  const auto results = http.perform_all({get_request(archive_url(3), "open_meteo_archive"),
                                         get_request(archive_url(4), "open_meteo_archive"),
                                         get_request(archive_url(5), "open_meteo_archive")},
                                        control);
  canceller.join();
  EXPECT_LT(Clock::now() - start, milliseconds{1000});
  ASSERT_EQ(results.size(), 3U);
  for (const auto& r : results) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, domain::ErrorCode::cancelled);
  }
}

TEST_F(HttpClientTest, ParallelRequestsKeepTheirOrder) {
  HttpClient http(fast_options());
  std::vector<HttpRequest> requests;
  for (int days = 1; days <= 8; ++days)
    requests.push_back(get_request(archive_url(days), "open_meteo_archive"));
  const auto results = http.perform_all(requests);
  ASSERT_EQ(results.size(), 8U);
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i]);
    const auto series =
        parse_open_meteo_daily(domain::SourceId::open_meteo_archive, results[i]->body);
    ASSERT_TRUE(series);
    EXPECT_EQ(series->days.size(), i + 1);
  }
}

TEST_F(HttpClientTest, SendsAnIdentifyingUserAgent) {
  // MET Norway (and the simulator) answer 403 to anonymous agents.
  const std::string url =
      sim_->base_url() + "/weatherapi/locationforecast/2.0/complete?lat=59.9&lon=10.7";
  HttpClient http(fast_options());
  const auto ok = http.perform(get_request(url, "met_norway"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  auto anonymous_options = fast_options();
  anonymous_options.user_agent = "curl/7.88.1";
  HttpClient anonymous(anonymous_options);
  const auto refused = anonymous.perform(get_request(url, "met_norway"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
}

TEST_F(HttpClientTest, FollowsTheNwsRedirectToFourDecimals) {
  HttpClient http(fast_options());
  const auto response =
      http.perform(get_request(sim_->base_url() + "/points/30.000012,-85.000012", "nws"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_NE(response->body.find("\"gridId\""), std::string::npos);
}

TEST_F(HttpClientTest, ConnectionRefusedIsUnavailableAfterRetries) {
  auto options = fast_options();
  options.max_attempts = 2;
  HttpClient refused(options);
  const auto response =
      refused.perform(get_request("http://127.0.0.1:1/v1/archive", "open_meteo_archive"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, domain::ErrorCode::unavailable);
  EXPECT_EQ(refused.counters().at("open_meteo_archive").requests, 2U);
}

TEST_F(HttpClientTest, HostRateLimitSpacesRequests) {
  auto options = fast_options();
  options.rate_limits = {{"127.0.0.1", milliseconds{100}}};
  HttpClient http(options);
  const auto start = Clock::now();
  const auto results = http.perform_all({get_request(archive_url(1), "open_meteo_archive"),
                                         get_request(archive_url(2), "open_meteo_archive"),
                                         get_request(archive_url(3), "open_meteo_archive")});
  for (const auto& r : results) ASSERT_TRUE(r);
  EXPECT_GE(Clock::now() - start, milliseconds{200});
}

TEST_F(HttpClientTest, PostAndDeleteReachTheControlEndpoint) {
  HttpClient http(fast_options());
  HttpRequest post;
  post.url = sim_->base_url() + "/__sim/faults";
  post.method = "POST";
  post.body = R"({"source":"nws","fault":"status_500","count":1})";
  const auto armed = http.perform(post);
  ASSERT_TRUE(armed);
  EXPECT_EQ(armed->status, 201);
  EXPECT_EQ(sim_->stats()["armed"].size(), 1U);
  HttpRequest del;
  del.url = sim_->base_url() + "/__sim/faults";
  del.method = "DELETE";
  ASSERT_TRUE(http.perform(del));
  EXPECT_EQ(sim_->stats()["armed"].size(), 0U);
  post.body = R"({"source":5,"fault":"delay"})";
  const auto refused = http.perform(post);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(sim_->stats()["armed"].size(), 0U);  // and the simulator is still up
}

}  // namespace
}  // namespace evapo::sources

namespace evapo::sources {
namespace {

TEST(UpstreamSimulatorLatency, EveryAnswerWaitsTheSimulatedLatency) {
  testing::UpstreamSimulator::Options options;
  options.latency_ms = 150;
  testing::UpstreamSimulator slow(options);
  HttpClient http;
  const auto start = std::chrono::steady_clock::now();
  const auto response = http.perform(
      get_request(slow.base_url() + "/v1/elevation?latitude=1&longitude=2", "elevation"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_GE(elapsed, std::chrono::milliseconds{150});
  // Control endpoints answer at once.
  const auto control_start = std::chrono::steady_clock::now();
  slow.stats();
  EXPECT_LT(std::chrono::steady_clock::now() - control_start, std::chrono::milliseconds{150});
}

}  // namespace
}  // namespace evapo::sources
