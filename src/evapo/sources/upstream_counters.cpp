#include <evapo/sources/upstream_counters.hpp>

namespace evapo::sources {

void UpstreamCounters::add_request(const std::string& tag, int attempt) {
  const std::lock_guard lock(mutex_);
  auto& count = counts_[tag];
  ++count.requests;
  if (attempt > 1) ++count.retries;
}

void UpstreamCounters::add_error(const std::string& tag) {
  const std::lock_guard lock(mutex_);
  ++counts_[tag].errors;
}

void UpstreamCounters::add_timeout(const std::string& tag) {
  const std::lock_guard lock(mutex_);
  ++counts_[tag].timeouts;
}

UpstreamCountersSnapshot UpstreamCounters::snapshot() const {
  const std::lock_guard lock(mutex_);
  return counts_;
}

}  // namespace evapo::sources
