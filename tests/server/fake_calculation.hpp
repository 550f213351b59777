#pragma once

// A controllable stand-in for the pipeline: it walks the seven pipeline steps, can pause at a
// gate mid-task, fail, hang until its deadline, or publish oversized progress messages.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include <evapo/domain/date.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/tasks/calculation_fn.hpp>

namespace evapo::server::testing {

enum class FakeBehavior { succeed, fail, hang, flood };

struct FakeControl {
  std::atomic<FakeBehavior> behavior{FakeBehavior::succeed};
  std::atomic<int> step_delay_ms{0};
  std::atomic<int> flood_messages{400};
  std::atomic<int> flood_message_bytes{32 * 1024};
  int gate_after_step = 3;  // with the gate closed, the fake waits after reporting this step

  void close_gate() {
    std::lock_guard lock(mutex);
    gate_open = false;
  }
  void open_gate() {
    {
      std::lock_guard lock(mutex);
      gate_open = true;
    }
    changed.notify_all();
  }

  std::mutex mutex;
  std::condition_variable changed;
  bool gate_open = true;
};

inline bool stopped(const pipeline::RunControl& control) {
  return (control.cancelled != nullptr && control.cancelled->load()) ||
         std::chrono::steady_clock::now() >= control.deadline;
}

inline domain::Error stop_reason(const pipeline::RunControl& control) {
  if (control.cancelled != nullptr && control.cancelled->load())
    return domain::Error::cancelled("cancelled");
  return domain::Error::timeout("deadline passed");
}

inline tasks::CalculationFn fake_calculation(std::shared_ptr<FakeControl> fake) {
  return [fake](const pipeline::CalculationRequest& request, pipeline::ProgressSink& sink,
                const pipeline::RunControl& control) -> domain::Expected<nlohmann::json> {
    if (fake->behavior == FakeBehavior::flood) {
      pipeline::Progress progress{
          .step = "downloading",
          .progress = 30,
          .current_step = 3,
          .total_steps = pipeline::kTotalSteps,
          .message = std::string(static_cast<std::size_t>(fake->flood_message_bytes.load()), 'x'),
          .sources = {}};
      for (int i = 0; i < fake->flood_messages && !stopped(control); ++i) sink.report(progress);
    }
    for (int i = 0; i < pipeline::kTotalSteps; ++i) {
      if (stopped(control)) return domain::fail(stop_reason(control));
      sink.report({.step = pipeline::kSteps[i],
                   .progress = (i + 1) * 100 / (pipeline::kTotalSteps + 1),
                   .current_step = i + 1,
                   .total_steps = pipeline::kTotalSteps,
                   .message = std::string("step ") + pipeline::kSteps[i],
                   .sources = {}});
      if (i + 1 == fake->gate_after_step) {
        std::unique_lock lock(fake->mutex);
        while (!fake->gate_open && !stopped(control)) {
          fake->changed.wait_for(lock, std::chrono::milliseconds(10));
        }
      }
      if (fake->behavior == FakeBehavior::hang) {
        while (!stopped(control)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return domain::fail(stop_reason(control));
      }
      if (fake->step_delay_ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(fake->step_delay_ms.load()));
    }
    if (fake->behavior == FakeBehavior::fail) {
      return domain::fail(domain::Error::unavailable("every weather source failed (fake)"));
    }
    nlohmann::json results = nlohmann::json::array();
    const int days = domain::days_between(request.start_date, request.end_date) + 1;
    for (int d = 0; d < days; ++d) {
      results.push_back({{"date", domain::format_iso_date(domain::add_days(request.start_date, d))},
                         {"eto_mm", 3.0 + 0.01 * d},
                         {"eto_sd_mm", 0.2},
                         {"quality", "high"},
                         {"sources", {"nasa_power"}}});
    }
    return nlohmann::json{
        {"results", results},
        {"warnings", nlohmann::json::array()},
        {"location", {{"latitude", request.latitude_deg}, {"longitude", request.longitude_deg}}}};
  };
}

}  // namespace evapo::server::testing
