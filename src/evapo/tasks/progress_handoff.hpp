#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include <evapo/domain/error.hpp>
#include <evapo/pipeline/calculation.hpp>

namespace evapo::tasks {

/// Carries a calculation's progress reports and its result, already serialised, from the
/// low-priority thread that computes to the worker thread that publishes. The worker, at normal
/// priority, is the one that holds the store's lock and calls subscribers: a low-priority thread
/// holding that lock while preempted would make every POST wait (priority inversion).
/// Serialising (and freeing) a year of results stays on the low-priority side.
class ProgressHandoff final : public pipeline::ProgressSink {
 public:
  /// Calculation side: one report, serialised as PROGRESS data.
  void report(const pipeline::Progress& progress) override;

  /// Calculation side: the serialised SUCCESS data, or the error; last call.
  void finish(domain::Expected<std::string> result_text);

  /// Worker side: calls `publish` for every report in order, then returns the result.
  domain::Expected<std::string> drain(const std::function<void(std::string)>& publish);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> reports_;
  std::optional<domain::Expected<std::string>> result_;
};

}  // namespace evapo::tasks
