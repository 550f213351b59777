#include <string_view>

#include <fmt/format.h>

#include <evapo/server/metrics.hpp>

namespace evapo::server {

namespace {

// Label values come from a fixed set: anything a client can vary freely (a made-up method)
// would otherwise be a new series each time.
std::string_view bounded_method(std::string_view method) {
  for (std::string_view known :
       {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"}) {
    if (method == known) return known;
  }
  return "OTHER";
}

}  // namespace

void MetricsRegistry::observe_request(const std::string& route, const std::string& method,
                                      unsigned status, double latency_s) {
  requests_total_.fetch_add(1, std::memory_order_relaxed);
  const unsigned bounded_status = status >= 100 && status <= 599 ? status : 0;
  std::lock_guard lock(mutex_);
  ++requests_[{route, std::string(bounded_method(method)), bounded_status}];
  Histogram& histogram = latency_by_route_[route];
  for (std::size_t i = 0; i < kLatencyBuckets_s.size(); ++i) {
    if (latency_s <= kLatencyBuckets_s[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum_s += latency_s;
}

void MetricsRegistry::add_collector(std::function<void(std::string& out)> collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::vector<std::function<void(std::string&)>> collectors;
  {
    std::lock_guard lock(mutex_);
    out +=
        "# HELP evapo_http_requests_total HTTP requests answered, by route, method and status.\n";
    out += "# TYPE evapo_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      const auto& [route, method, status] = key;
      out +=
          fmt::format("evapo_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                      route, method, status, count);
    }
    out +=
        "# HELP evapo_http_request_duration_seconds Time from request read to response queued.\n";
    out += "# TYPE evapo_http_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : latency_by_route_) {
      // observe_request increments every bucket the value fits under: already cumulative.
      for (std::size_t i = 0; i < kLatencyBuckets_s.size(); ++i) {
        out +=
            fmt::format("evapo_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                        route, kLatencyBuckets_s[i], histogram.buckets[i]);
      }
      out +=
          fmt::format("evapo_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                      route, histogram.count);
      out += fmt::format("evapo_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route,
                         histogram.sum_s);
      out += fmt::format("evapo_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route,
                         histogram.count);
    }
    collectors = collectors_;
  }
  out += "# HELP evapo_websocket_connections Open WebSocket connections.\n";
  out += "# TYPE evapo_websocket_connections gauge\n";
  out += fmt::format("evapo_websocket_connections {}\n", websocket_connections_.load());
  out += "# HELP evapo_sse_connections Open Server-Sent Events connections.\n";
  out += "# TYPE evapo_sse_connections gauge\n";
  out += fmt::format("evapo_sse_connections {}\n", sse_connections_.load());
  out +=
      "# HELP evapo_slow_consumers_closed_total Live connections closed because their send queue "
      "was full.\n";
  out += "# TYPE evapo_slow_consumers_closed_total counter\n";
  out += fmt::format("evapo_slow_consumers_closed_total {}\n", slow_consumers_closed_.load());
  out += "# HELP evapo_rate_limited_total Requests answered 429.\n";
  out += "# TYPE evapo_rate_limited_total counter\n";
  out += fmt::format("evapo_rate_limited_total {}\n", rate_limited_.load());
  for (const auto& collector : collectors) collector(out);
  return out;
}

}  // namespace evapo::server
