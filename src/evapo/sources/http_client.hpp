#pragma once

// The one HTTP layer every weather client uses: libcurl multi for parallel transfers, a shared
// connection cache (keep-alive reuse across calls and threads), per-attempt timeouts, retries
// with exponential backoff and jitter, Retry-After, per-host rate limits, gzip, cancellation
// and an overall deadline, and per-source counters.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/sources/fetch_control.hpp>
#include <evapo/sources/sources_config.hpp>
#include <evapo/sources/upstream_attempts.hpp>
#include <evapo/sources/upstream_counters.hpp>

namespace evapo::sources {

/// One request. `tag` names the upstream for counters and status (a source id or "elevation").
struct HttpRequest {
  std::string url;
  std::string tag;
  std::vector<std::string> headers;                  // "Name: value"
  std::string method = "GET";                        // GET, POST or DELETE
  std::string body;                                  // sent for POST
  std::optional<std::chrono::milliseconds> timeout;  // per attempt; default from options
};

/// A GET of `url` counted under `tag`, with extra headers ("Name: value").
inline HttpRequest get_request(std::string url, std::string tag,
                               std::vector<std::string> headers = {}) {
  HttpRequest request;
  request.url = std::move(url);
  request.tag = std::move(tag);
  request.headers = std::move(headers);
  return request;
}

/// The final answer to a request, whatever its status (clients decide what a status means).
struct HttpResponse {
  long status = 0;
  std::string body;  // decoded (gzip handled by libcurl)
  std::string content_type;
  std::optional<std::chrono::seconds> retry_after;  // from Retry-After (seconds or HTTP-date)
  int attempts = 1;
};

/// What happens to one request, reported as it happens.
struct TransferEvent {
  enum class Kind { started, retrying, finished, failed };
  std::size_t index = 0;  // position in the batch
  std::string tag;
  Kind kind = Kind::started;
  int attempt = 1;
  long status = 0;      // HTTP status when there was one
  std::string message;  // reason of a retry or failure
};

/// Called from the thread running perform_all, never concurrently for one batch.
using TransferCallback = std::function<void(const TransferEvent&)>;

/// Minimum spacing between request starts to one host; hosts not listed are unlimited.
struct HostRateLimit {
  std::string host;  // as in the URL, e.g. "api.met.no"
  std::chrono::milliseconds min_interval{0};
};

struct HttpClientOptions {
  std::string user_agent = "evapo/0.1 (+https://github.com/evapo/evapo; evapo@example.org)";
  std::chrono::milliseconds request_timeout{30000};  // per attempt
  std::chrono::milliseconds connect_timeout{10000};
  int max_attempts = 3;  // first try + retries on timeouts, connection errors, 429 and 5xx
  std::chrono::milliseconds backoff_base{
      500};  // delay before retry n: base * 2^(n-1), +-25 % jitter
  std::chrono::milliseconds backoff_max{8000};
  std::chrono::seconds max_retry_after{60};  // a longer Retry-After is not waited for
  int max_parallel = 16;                     // concurrent transfers per batch
  /// Defaults follow the providers' published quotas (NASA POWER 60/min, Open-Meteo 600/min,
  /// MET Norway 20/s, NWS a few per second).
  std::vector<HostRateLimit> rate_limits = {
      {"power.larc.nasa.gov", std::chrono::milliseconds{1000}},
      {"archive-api.open-meteo.com", std::chrono::milliseconds{100}},
      {"api.open-meteo.com", std::chrono::milliseconds{100}},
      {"geocoding-api.open-meteo.com", std::chrono::milliseconds{100}},
      {"api.met.no", std::chrono::milliseconds{50}},
      {"api.weather.gov", std::chrono::milliseconds{200}},
  };
};

/// Thread-safe: any number of threads may call perform/perform_all on one client at once.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Runs all requests in parallel and returns one result per request, in order. A result is
  /// the final HTTP response (any status, after retries on 429/5xx) or an Error: timeout (the
  /// attempt timed out or the control's deadline passed), unavailable (connection refused,
  /// reset, DNS, truncated transfer), cancelled (control.cancelled was set). Never returns
  /// later than ~50 ms after the deadline.
  std::vector<domain::Expected<HttpResponse>> perform_all(const std::vector<HttpRequest>& requests,
                                                          const FetchControl& control = {},
                                                          const TransferCallback& on_event = {});

  /// One request; as perform_all.
  domain::Expected<HttpResponse> perform(const HttpRequest& request,
                                         const FetchControl& control = {},
                                         const TransferCallback& on_event = {});

  /// Calls, retries and failures per tag since the client was created.
  UpstreamCountersSnapshot counters() const;

  /// Every attempt of the last minutes, per tag (the operations dashboard reads and listens).
  UpstreamAttemptLog& attempts();

  const HttpClientOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Client options from the sources config: user agent, timeout, attempts, backoff.
HttpClientOptions http_options_from(const SourcesConfig& config);

}  // namespace evapo::sources
