#pragma once

// Per-day quality of a computed ETo: high / medium / low with the reasons. Pure.

#include <string>
#include <vector>

#include <evapo/core/flags.hpp>

namespace evapo::core {

enum class QualityLevel { high, medium, low };

/// What is known about one computed day.
struct DayEvidence {
  bool eto_missing = false;
  /// Fewest sources behind any measured Penman-Monteith input used that day (Tmax, Tmin,
  /// humidity, wind, Rs); 0 when some input came from no source at all (see flags).
  int min_sources = 0;
  /// Largest disagreement between sources among those inputs, in combined standard deviations.
  double max_disagreement_sigma = 0.0;
  bool outlier_damped = false;  // the Kalman filter inflated a measurement's noise
  bool interpolated = false;    // some input was filled from neighbouring days
  FlagSet eto_flags;            // fallbacks the engine used (FAO-56 ch. 3)
};

struct QualityAssessment {
  QualityLevel level = QualityLevel::low;
  std::vector<std::string> reasons;  // stable snake_case keys, e.g. "single_source"
};

/// Rules: ETo missing -> low; a chapter-3 fallback for radiation, humidity from Tmin, or
/// defaulted wind -> low; sources disagreeing by more than 5 σ -> low; then one source only,
/// disagreement above 3 σ, damped outlier or interpolated input -> medium; else high
/// ("sources_agree"). Reasons list every rule that fired.
QualityAssessment assess_day(const DayEvidence& evidence);

/// "high" | "medium" | "low".
const char* to_string(QualityLevel level);

}  // namespace evapo::core
