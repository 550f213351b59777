#include <algorithm>
#include <cmath>

#include <evapo/ops/source_monitor.hpp>

namespace evapo::ops {

std::optional<double> percentile(std::vector<double> values, double p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const auto index =
      static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(values.size()))) - 1;
  return values[index];
}

SourceMonitor::SourceMonitor(std::map<std::string, bool> sources, SourceHealthRule rule)
    : rule_(rule) {
  for (const auto& [name, enabled] : sources) {
    sources_.emplace(name, Source{enabled, SourceHealthTracker(rule_)});
  }
}

void SourceMonitor::set_on_change(std::function<void()> on_change) {
  std::lock_guard lock(mutex_);
  on_change_ = std::move(on_change);
}

void SourceMonitor::on_attempt(const sources::UpstreamAttempt& attempt) {
  std::function<void()> notify;
  {
    std::lock_guard lock(mutex_);
    auto [it, inserted] =
        sources_.try_emplace(attempt.tag, Source{true, SourceHealthTracker(rule_)});
    auto& tracker = it->second.tracker;
    // A source first seen now appears on the board healthy, as the known ones do from start.
    if (inserted) changes_.push_back({attempt.tag, Health::healthy, 0.0, 0});
    if (const auto changed = tracker.record(attempt.failed)) {
      changes_.push_back(
          {attempt.tag, *changed, tracker.failed_share(), tracker.attempts_in_window()});
      notify = on_change_;
    }
  }
  if (notify) notify();
}

std::vector<SourceHealthChange> SourceMonitor::take_changes() {
  std::lock_guard lock(mutex_);
  return std::exchange(changes_, {});
}

std::vector<SourceHealthChange> SourceMonitor::states() const {
  std::lock_guard lock(mutex_);
  std::vector<SourceHealthChange> out;
  for (const auto& [name, source] : sources_) {
    out.push_back({name, source.tracker.state(), source.tracker.failed_share(),
                   source.tracker.attempts_in_window()});
  }
  return out;
}

std::vector<nlohmann::json> SourceMonitor::statuses(
    const std::map<std::string, sources::UpstreamWindow>& window,
    const sources::UpstreamCountersSnapshot& totals) const {
  std::vector<nlohmann::json> out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, source] : sources_) {
    std::vector<double> latencies_ms;
    std::int64_t failures = 0;
    std::int64_t retries = 0;
    std::int64_t waits = 0;
    std::int64_t attempts = 0;
    if (const auto found = window.find(name); found != window.end()) {
      for (const auto& attempt : found->second.attempts) {
        ++attempts;
        latencies_ms.push_back(static_cast<double>(attempt.latency.count()) / 1000.0);
        if (attempt.failed) ++failures;
        if (attempt.retry) ++retries;
      }
      waits = found->second.rate_limit_waits;
    }
    nlohmann::json status{
        {"source", name},
        {"enabled", source.enabled},
        {"health", to_string(source.tracker.state())},
        {"failed_share_recent", source.tracker.failed_share()},
        {"window_s", 300},
        {"attempts", attempts},
        {"failures", failures},
        {"error_rate", attempts > 0 ? nlohmann::json(static_cast<double>(failures) /
                                                     static_cast<double>(attempts))
                                    : nlohmann::json(nullptr)},
        {"retries", retries},
        {"rate_limit_waits", waits},
        {"latency_p50_ms", nullptr},
        {"latency_p95_ms", nullptr},
        {"requests_total", 0},
        {"errors_total", 0}};
    if (const auto p50 = percentile(latencies_ms, 50)) status["latency_p50_ms"] = *p50;
    if (const auto p95 = percentile(latencies_ms, 95)) status["latency_p95_ms"] = *p95;
    if (const auto total = totals.find(name); total != totals.end()) {
      status["requests_total"] = total->second.requests;
      status["errors_total"] = total->second.errors;
    }
    out.push_back(std::move(status));
  }
  return out;
}

}  // namespace evapo::ops
