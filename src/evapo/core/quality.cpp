#include <algorithm>

#include <evapo/core/quality.hpp>

namespace evapo::core {

QualityAssessment assess_day(const DayEvidence& evidence) {
  QualityAssessment out;
  int level = 0;  // 0 high, 1 medium, 2 low
  auto add = [&](int at_least, std::string reason) {
    level = std::max(level, at_least);
    out.reasons.push_back(std::move(reason));
  };
  if (evidence.eto_missing) add(2, "eto_missing");
  for (Flag f : {Flag::rs_from_temperature, Flag::rs_from_sunshine, Flag::ea_from_tmin,
                 Flag::wind_defaulted}) {
    if (evidence.eto_flags.has(f))
      add(f == Flag::rs_from_sunshine ? 1 : 2, std::string(to_string(f)));
  }
  if (evidence.max_disagreement_sigma > 5.0) {
    add(2, "sources_disagree_strongly");
  } else if (evidence.max_disagreement_sigma > 3.0) {
    add(1, "sources_disagree");
  }
  if (!evidence.eto_missing && evidence.min_sources == 1) add(1, "single_source");
  if (evidence.outlier_damped) add(1, "outlier_damped");
  if (evidence.interpolated) add(1, "interpolated");
  if (out.reasons.empty()) out.reasons.emplace_back("sources_agree");
  out.level = static_cast<QualityLevel>(level);
  return out;
}

const char* to_string(QualityLevel level) {
  switch (level) {
    case QualityLevel::high:
      return "high";
    case QualityLevel::medium:
      return "medium";
    case QualityLevel::low:
      return "low";
  }
  return "low";
}

}  // namespace evapo::core
