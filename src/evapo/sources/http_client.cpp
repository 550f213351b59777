#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <random>
#include <thread>

#include <curl/curl.h>

#include <evapo/sources/host_rate_limiter.hpp>
#include <evapo/sources/http_client.hpp>

namespace evapo::sources {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kMaxBodyBytes = 64U * 1024U * 1024U;
constexpr milliseconds kPollSlice{20};

void global_init_once() {
  static std::once_flag flag;
  std::call_once(flag, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One request of a batch, across its attempts.
struct Transfer {
  const HttpRequest* request = nullptr;
  std::size_t index = 0;
  std::string host;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  int attempt = 0;
  Clock::time_point not_before{};
  bool active = false;
  bool done = false;
  bool body_overflow = false;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer->body.size() + bytes > kMaxBodyBytes) {
    transfer->body_overflow = true;
    return 0;  // makes libcurl fail the transfer with CURLE_WRITE_ERROR
  }
  transfer->body.append(data, bytes);
  return bytes;
}

std::size_t read_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == kName) {
      std::string_view value = line.substr(kName.size());
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      while (!value.empty() &&
             (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
      }
      long long seconds = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (ec == std::errc{} && ptr == value.data() + value.size() && seconds >= 0) {
        transfer->retry_after = std::chrono::seconds{seconds};
      } else if (const time_t at = curl_getdate(std::string(value).c_str(), nullptr); at > 0) {
        // The HTTP-date form: "Retry-After: Wed, 21 Oct 2026 07:28:00 GMT".
        transfer->retry_after =
            std::chrono::seconds{std::max<long long>(0, at - std::time(nullptr))};
      }
    }
  }
  return bytes;
}

std::string host_of(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end = url.find_first_of(":/?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool is_retriable_status(long status) {
  return status == 429 || (status >= 500 && status <= 599);
}

bool is_retriable_curl(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_BAD_CONTENT_ENCODING:  // a gzip stream cut short
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

std::string describe_seconds(milliseconds delay) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f s", static_cast<double>(delay.count()) / 1000.0);
  return buffer;
}

}  // namespace

struct HttpClient::Impl {
  HttpClientOptions options;
  UpstreamCounters counters;
  UpstreamAttemptLog attempts;
  HostRateLimiter limiter;
  std::mutex pool_mutex;
  std::vector<CURLM*> idle_multis;  // kept for their connection caches (keep-alive reuse)
  std::mutex random_mutex;
  std::mt19937_64 random{std::random_device{}()};

  explicit Impl(HttpClientOptions opts) : options(std::move(opts)) {
    for (const auto& limit : options.rate_limits)
      limiter.set_interval(limit.host, limit.min_interval);
  }

  ~Impl() {
    for (CURLM* multi : idle_multis) curl_multi_cleanup(multi);
  }

  CURLM* acquire_multi() {
    {
      const std::lock_guard lock(pool_mutex);
      if (!idle_multis.empty()) {
        CURLM* multi = idle_multis.back();
        idle_multis.pop_back();
        return multi;
      }
    }
    CURLM* multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 32L);
    return multi;
  }

  void release_multi(CURLM* multi) {
    const std::lock_guard lock(pool_mutex);
    idle_multis.push_back(multi);
  }

  milliseconds backoff(int attempt) {
    const double base = static_cast<double>(options.backoff_base.count()) *
                        std::pow(2.0, static_cast<double>(attempt - 1));
    const double capped = std::min(base, static_cast<double>(options.backoff_max.count()));
    double jitter = 1.0;
    {
      const std::lock_guard lock(random_mutex);
      jitter = std::uniform_real_distribution<double>(0.75, 1.25)(random);
    }
    return milliseconds{static_cast<long long>(capped * jitter)};
  }

  void start_attempt(CURLM* multi, Transfer& t, Clock::time_point deadline) {
    ++t.attempt;
    t.body.clear();
    t.body_overflow = false;
    t.retry_after.reset();
    t.error_buffer[0] = '\0';
    t.easy = curl_easy_init();
    CURL* e = t.easy;
    const HttpRequest& r = *t.request;
    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl supports (gzip)
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &write_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &read_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error_buffer);
    const milliseconds per_attempt = r.timeout.value_or(options.request_timeout);
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    const milliseconds timeout = std::max(milliseconds{1}, std::min(per_attempt, left));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min(timeout, options.connect_timeout).count()));
    if (t.headers == nullptr) {
      for (const auto& header : r.headers) t.headers = curl_slist_append(t.headers, header.c_str());
    }
    if (t.headers != nullptr) curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
    if (r.method == "POST") {
      curl_easy_setopt(e, CURLOPT_POST, 1L);
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.c_str());
    } else if (r.method != "GET") {
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    curl_multi_add_handle(multi, e);
    t.active = true;
    counters.add_request(r.tag, t.attempt);
  }

  static void stop_attempt(CURLM* multi, Transfer& t) {
    if (t.easy != nullptr) {
      curl_multi_remove_handle(multi, t.easy);
      curl_easy_cleanup(t.easy);
      t.easy = nullptr;
    }
    t.active = false;
  }
};

HttpClient::HttpClient(HttpClientOptions options) {
  global_init_once();
  impl_ = std::make_unique<Impl>(std::move(options));
}

HttpClient::~HttpClient() = default;

const HttpClientOptions& HttpClient::options() const {
  return impl_->options;
}

UpstreamCountersSnapshot HttpClient::counters() const {
  return impl_->counters.snapshot();
}

UpstreamAttemptLog& HttpClient::attempts() {
  return impl_->attempts;
}

domain::Expected<HttpResponse> HttpClient::perform(const HttpRequest& request,
                                                   const FetchControl& control,
                                                   const TransferCallback& on_event) {
  auto results = perform_all({request}, control, on_event);
  return std::move(results.front());
}

std::vector<domain::Expected<HttpResponse>> HttpClient::perform_all(
    const std::vector<HttpRequest>& requests, const FetchControl& control,
    const TransferCallback& on_event) {
  Impl& impl = *impl_;
  std::vector<domain::Expected<HttpResponse>> results(
      requests.size(), domain::fail(domain::Error::internal("not performed")));
  std::vector<Transfer> transfers(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    transfers[i].request = &requests[i];
    transfers[i].index = i;
    transfers[i].host = host_of(requests[i].url);
  }
  auto emit = [&](const Transfer& t, TransferEvent::Kind kind, long status, std::string message) {
    if (on_event)
      on_event(TransferEvent{t.index, t.request->tag, kind, t.attempt, status, std::move(message)});
  };
  auto finish_error = [&](Transfer& t, domain::Error error) {
    t.done = true;
    impl.counters.add_error(t.request->tag);
    if (error.code == domain::ErrorCode::timeout) impl.counters.add_timeout(t.request->tag);
    emit(t, TransferEvent::Kind::failed, 0, error.message);
    results[t.index] = domain::fail(std::move(error));
  };

  CURLM* multi = impl.acquire_multi();
  std::size_t remaining = transfers.size();
  while (remaining > 0) {
    const auto now = Clock::now();
    if (control.is_cancelled() || now >= control.deadline) {
      const bool cancelled = control.is_cancelled();
      for (auto& t : transfers) {
        if (t.done) continue;
        Impl::stop_attempt(multi, t);
        finish_error(t, cancelled ? domain::Error::cancelled("download cancelled")
                                  : domain::Error::timeout("deadline passed before " + t.host +
                                                           " answered"));
      }
      break;
    }
    std::size_t active = 0;
    for (const auto& t : transfers) active += t.active ? 1U : 0U;
    auto next_wake = now + kPollSlice;
    for (auto& t : transfers) {
      if (t.done || t.active || active >= static_cast<std::size_t>(impl.options.max_parallel))
        continue;
      if (t.not_before > now) {
        next_wake = std::min(next_wake, t.not_before);
        continue;
      }
      if (auto wait_until = impl.limiter.try_acquire(t.host, now)) {
        impl.attempts.record_rate_limit_wait(t.request->tag, std::chrono::system_clock::now());
        t.not_before = *wait_until;
        next_wake = std::min(next_wake, t.not_before);
        continue;
      }
      impl.start_attempt(multi, t, control.deadline);
      ++active;
      if (t.attempt == 1) emit(t, TransferEvent::Kind::started, 0, "");
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* tp = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &tp);
      Transfer& t = *tp;
      const CURLcode code = msg->data.result;
      long status = 0;
      curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
      const char* content_type = nullptr;
      curl_easy_getinfo(t.easy, CURLINFO_CONTENT_TYPE, &content_type);
      const std::string type = content_type != nullptr ? content_type : "";
      const std::string curl_message =
          t.error_buffer[0] != '\0' ? t.error_buffer : curl_easy_strerror(code);
      curl_off_t total_us = 0;
      curl_easy_getinfo(t.easy, CURLINFO_TOTAL_TIME_T, &total_us);
      impl.attempts.record(
          {.tag = t.request->tag,
           .ended_at = std::chrono::system_clock::now(),
           .latency = std::chrono::microseconds(total_us),
           .status = status,
           .failed = code != CURLE_OK || t.body_overflow || is_retriable_status(status),
           .retry = t.attempt > 1});
      Impl::stop_attempt(multi, t);
      const auto after = Clock::now();
      const bool can_retry = t.attempt < impl.options.max_attempts;
      if (code == CURLE_OK) {
        if (is_retriable_status(status) && can_retry) {
          milliseconds delay = impl.backoff(t.attempt);
          if (t.retry_after && *t.retry_after <= impl.options.max_retry_after) {
            delay = std::max(delay, std::chrono::duration_cast<milliseconds>(*t.retry_after));
          }
          if (!(t.retry_after && *t.retry_after > impl.options.max_retry_after) &&
              after + delay < control.deadline) {
            t.not_before = after + delay;
            emit(t, TransferEvent::Kind::retrying, status,
                 "HTTP " + std::to_string(status) + ", retry " + std::to_string(t.attempt + 1) +
                     " in " + describe_seconds(delay));
            continue;
          }
        }
        t.done = true;
        --remaining;
        if (status < 200 || status > 299) impl.counters.add_error(t.request->tag);
        emit(t, TransferEvent::Kind::finished, status, "");
        results[t.index] = HttpResponse{status, std::move(t.body), type, t.retry_after, t.attempt};
        continue;
      }
      const bool timed_out = code == CURLE_OPERATION_TIMEDOUT;
      if (timed_out) impl.counters.add_timeout(t.request->tag);
      if (is_retriable_curl(code) && can_retry && !t.body_overflow) {
        const milliseconds delay = impl.backoff(t.attempt);
        if (after + delay < control.deadline) {
          t.not_before = after + delay;
          emit(t, TransferEvent::Kind::retrying, 0,
               curl_message + ", retry " + std::to_string(t.attempt + 1) + " in " +
                   describe_seconds(delay));
          continue;
        }
      }
      --remaining;
      const std::string what = t.host + ": " + curl_message;
      if (t.body_overflow) {
        finish_error(t, domain::Error::upstream(t.host + ": response larger than 64 MiB"));
      } else if (timed_out) {
        t.done = true;
        impl.counters.add_error(t.request->tag);
        emit(t, TransferEvent::Kind::failed, 0, what);
        results[t.index] = domain::fail(domain::Error::timeout(what));
      } else {
        finish_error(t, domain::Error::unavailable(what));
      }
    }
    if (remaining == 0) break;
    const auto wait = std::chrono::duration_cast<milliseconds>(
        std::min(next_wake, control.deadline) - Clock::now());
    const int wait_ms =
        static_cast<int>(std::clamp<long long>(wait.count(), 0, kPollSlice.count()));
    curl_multi_poll(multi, nullptr, 0, wait_ms, nullptr);
  }
  for (auto& t : transfers) {
    Impl::stop_attempt(multi, t);
    curl_slist_free_all(t.headers);
  }
  impl.release_multi(multi);
  return results;
}

HttpClientOptions http_options_from(const SourcesConfig& config) {
  HttpClientOptions options;
  options.user_agent = config.user_agent;
  options.request_timeout = config.request_timeout;
  options.max_attempts = config.max_attempts;
  options.backoff_base = config.backoff_base;
  options.backoff_max = config.backoff_max;
  return options;
}

}  // namespace evapo::sources
