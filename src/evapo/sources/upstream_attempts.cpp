#include <evapo/sources/upstream_attempts.hpp>

namespace evapo::sources {

void UpstreamAttemptLog::set_listener(Listener listener) {
  std::lock_guard lock(mutex_);
  listener_ = listener ? std::make_shared<const Listener>(std::move(listener)) : nullptr;
}

void UpstreamAttemptLog::expire(PerTag& tag, std::chrono::system_clock::time_point now) const {
  const auto cutoff = now - window_;
  while (!tag.attempts.empty() &&
         (tag.attempts.front().ended_at < cutoff || tag.attempts.size() > max_per_tag_)) {
    tag.attempts.pop_front();
  }
  while (!tag.waits.empty() && (tag.waits.front() < cutoff || tag.waits.size() > max_per_tag_)) {
    tag.waits.pop_front();
  }
}

void UpstreamAttemptLog::record(UpstreamAttempt attempt) {
  std::shared_ptr<const Listener> listener;
  {
    std::lock_guard lock(mutex_);
    auto& tag = tags_[attempt.tag];
    tag.attempts.push_back(attempt);
    expire(tag, attempt.ended_at);
    listener = listener_;
  }
  if (listener) (*listener)(attempt);
}

void UpstreamAttemptLog::record_rate_limit_wait(const std::string& tag,
                                                std::chrono::system_clock::time_point at) {
  std::lock_guard lock(mutex_);
  auto& per_tag = tags_[tag];
  per_tag.waits.push_back(at);
  expire(per_tag, at);
}

std::map<std::string, UpstreamWindow> UpstreamAttemptLog::snapshot(
    std::chrono::system_clock::time_point now) const {
  std::map<std::string, UpstreamWindow> out;
  std::lock_guard lock(mutex_);
  const auto cutoff = now - window_;
  for (const auto& [name, tag] : tags_) {
    auto& window = out[name];
    for (const auto& attempt : tag.attempts) {
      if (attempt.ended_at >= cutoff) window.attempts.push_back(attempt);
    }
    for (const auto& at : tag.waits) {
      if (at >= cutoff) ++window.rate_limit_waits;
    }
  }
  return out;
}

}  // namespace evapo::sources
