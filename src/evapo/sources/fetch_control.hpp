#pragma once

#include <atomic>
#include <chrono>

namespace evapo::sources {

/// Cooperative cancellation and an overall deadline for downloads; the same fields as
/// evapo::pipeline::RunControl, which the pipeline copies in. Transfers stop within ~50 ms of
/// either firing.
struct FetchControl {
  const std::atomic<bool>* cancelled = nullptr;  // another thread sets it to true to stop
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

  bool is_cancelled() const { return cancelled != nullptr && cancelled->load(); }
  bool past_deadline() const { return std::chrono::steady_clock::now() >= deadline; }
};

}  // namespace evapo::sources
