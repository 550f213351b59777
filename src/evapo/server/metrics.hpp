#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace evapo::server {

/// Process-wide server metrics, rendered in the Prometheus text format (version 0.0.4).
/// Thread-safe: sessions on any thread record into it.
class MetricsRegistry {
 public:
  /// Upper bounds of the request latency histogram [s].
  static constexpr std::array<double, 12> kLatencyBuckets_s = {
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

  /// Counts one answered HTTP request of `route` (the router's route name, never the raw path)
  /// and its latency in seconds. Every label stays in a fixed set: a method outside the standard
  /// ones counts as "OTHER".
  void observe_request(const std::string& route, const std::string& method, unsigned status,
                       double latency_s);

  /// Open WebSocket / SSE connections (gauges), and connections closed as too slow.
  void websocket_opened() { websocket_connections_.fetch_add(1, std::memory_order_relaxed); }
  void websocket_closed() { websocket_connections_.fetch_sub(1, std::memory_order_relaxed); }
  void sse_opened() { sse_connections_.fetch_add(1, std::memory_order_relaxed); }
  void sse_closed() { sse_connections_.fetch_sub(1, std::memory_order_relaxed); }
  void slow_consumer_closed() { slow_consumers_closed_.fetch_add(1, std::memory_order_relaxed); }
  void rate_limited() { rate_limited_.fetch_add(1, std::memory_order_relaxed); }

  long websocket_connections() const { return websocket_connections_.load(); }
  long sse_connections() const { return sse_connections_.load(); }
  /// HTTP requests answered since start (every route, static files and errors included).
  std::uint64_t requests_total() const { return requests_total_.load(std::memory_order_relaxed); }

  /// Adds a collector that appends complete metric families (with # TYPE lines) at render time:
  /// how other layers (tasks by state, queue depth, upstream calls) reach /metrics.
  void add_collector(std::function<void(std::string& out)> collector);

  /// The whole exposition text.
  std::string render() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kLatencyBuckets_s.size()> buckets{};
    std::uint64_t count = 0;
    double sum_s = 0.0;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_by_route_;
  std::vector<std::function<void(std::string&)>> collectors_;
  std::atomic<long> websocket_connections_{0};
  std::atomic<long> sse_connections_{0};
  std::atomic<std::uint64_t> slow_consumers_closed_{0};
  std::atomic<std::uint64_t> rate_limited_{0};
  std::atomic<std::uint64_t> requests_total_{0};
};

}  // namespace evapo::server
