#pragma once

// The synthetic-truth skill benchmark of the fusion (issue 10): the real Fallon NV 2015 daily
// record is the truth; 2-4 synthetic sources are made from it (synthetic_sources.hpp); each
// source alone, the fusion of all, and the replaced design go through the pipeline's own
// cleaning, fusion and ETo engine; their ETo is scored against the truth's ETo.

#include <string>
#include <vector>

#include <evapo/domain/weather_day.hpp>

namespace evapo::bench {

/// ETo skill of one candidate over the scored days.
struct Skill {
  std::string name;
  double mae_mm = 0.0;
  double kge = 0.0;
  double coverage = 0.0;  // share of all days with an ETo
};

struct ScenarioResult {
  unsigned long long seed = 0;
  int source_count = 0;
  int scored_days = 0;  // days every candidate has an ETo
  std::vector<Skill> singles;
  Skill fused;
  Skill old_design;
  double within_1sd = 0.0;  // share of scored days with |fused - truth| <= eto_sd_mm
  double within_2sd = 0.0;

  const Skill& best_single() const;
};

/// The truth: Fallon's 365 days (wind brought to 2 m; the one unrecorded wind linearly filled).
std::vector<domain::WeatherDay> fallon_truth();

/// One scenario: sources drawn with `seed`, `source_count` of them (2..4).
ScenarioResult run_scenario(const std::vector<domain::WeatherDay>& truth, unsigned long long seed,
                            int source_count);

}  // namespace evapo::bench
