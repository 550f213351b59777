#pragma once

// The contract between the calculation pipeline and everything that runs it (the `calc` CLI,
// the task workers of `evapo serve`). Implemented in calculation.cpp.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <evapo/domain/date.hpp>
#include <evapo/domain/error.hpp>
#include <evapo/domain/location.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::pipeline {

enum class Mode { historical, recent, forecast };

/// What a user asks for. Dates are local calendar days of the location, inclusive.
struct CalculationRequest {
  double latitude_deg = 0.0;
  double longitude_deg = 0.0;
  domain::Date start_date{};
  domain::Date end_date{};
  Mode mode = Mode::historical;
  std::vector<domain::SourceId> sources;  // empty: chosen automatically by mode, dates, region
  std::optional<double> elevation_m;      // user-given elevation overrides any lookup
};

/// Download state of one source, as shown to the user while a calculation runs.
struct SourceStatus {
  domain::SourceId source = domain::SourceId::nasa_power;
  std::string state;    // "pending" | "downloading" | "cached" | "done" | "failed" | "skipped"
  std::string message;  // human detail, e.g. the failure reason
};

/// One progress report. `step` is a stable key (see kSteps); `progress` is 0-100.
struct Progress {
  std::string step;
  int progress = 0;
  int current_step = 0;
  int total_steps = 0;
  std::string message;
  std::vector<SourceStatus> sources;
};

/// The steps every calculation goes through, in order (current_step = index + 1).
inline constexpr const char* kSteps[] = {"validating", "elevation",     "downloading", "preprocessing",
                                         "fusing",     "computing_eto", "finalizing"};
inline constexpr int kTotalSteps = 7;

/// Where the pipeline reports progress. Called from the calculating thread; must not block long.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void report(const Progress& progress) = 0;
};

/// Cooperative cancellation and deadline, checked between steps and during downloads.
struct RunControl {
  const std::atomic<bool>* cancelled = nullptr;  // set to true by another thread to stop
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

enum class Quality { high, medium, low };

/// One local day of the answer.
struct DailyResult {
  domain::Date date{};
  double eto_mm = domain::kMissing;
  double eto_sd_mm = domain::kMissing;
  Quality quality = Quality::low;
  std::vector<std::string> quality_reasons;
  std::vector<domain::SourceId> sources;  // sources that contributed to this day
  std::vector<std::string> flags;         // fallbacks used (e.g. "rs_from_temperature")
  double tmax_c = domain::kMissing;
  double tmin_c = domain::kMissing;
  double rh_mean_pct = domain::kMissing;
  double u2_m_s = domain::kMissing;
  double rs_mj_m2 = domain::kMissing;
  double precip_mm = domain::kMissing;
  double p_minus_eto_mm = domain::kMissing;
  double upstream_eto_mm = domain::kMissing;  // Open-Meteo's own ET0, comparison only
};

struct CalculationResult {
  domain::Location location;  // elevation resolved
  std::string elevation_source;  // "user" | "open_meteo" | "etopo20"
  int utc_offset_seconds = 0;
  std::vector<DailyResult> days;
  std::vector<std::string> warnings;  // e.g. each source that failed and why
};

}  // namespace evapo::pipeline
