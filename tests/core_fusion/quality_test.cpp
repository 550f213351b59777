#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include <evapo/core/quality.hpp>

namespace evapo::core {
namespace {

bool has_reason(const QualityAssessment& q, const std::string& reason) {
  return std::find(q.reasons.begin(), q.reasons.end(), reason) != q.reasons.end();
}

DayEvidence evidence(int min_sources, double disagreement = 0.0) {
  DayEvidence e;
  e.min_sources = min_sources;
  e.max_disagreement_sigma = disagreement;
  return e;
}

DayEvidence with_flag(DayEvidence e, Flag f) {
  e.eto_flags.set(f);
  return e;
}

TEST(AssessDay, RulesTable) {
  struct Case {
    const char* name;
    DayEvidence evidence;
    QualityLevel level;
    const char* reason;
  };
  DayEvidence interpolated = evidence(2);
  interpolated.interpolated = true;
  DayEvidence outlier = evidence(3);
  outlier.outlier_damped = true;
  DayEvidence missing;
  missing.eto_missing = true;
  const Case cases[] = {
      {"two agreeing sources", evidence(2, 1.0), QualityLevel::high, "sources_agree"},
      {"single source", evidence(1), QualityLevel::medium, "single_source"},
      {"disagreement", evidence(2, 4.0), QualityLevel::medium, "sources_disagree"},
      {"strong disagreement", evidence(2, 6.0), QualityLevel::low, "sources_disagree_strongly"},
      {"interpolated", interpolated, QualityLevel::medium, "interpolated"},
      {"outlier", outlier, QualityLevel::medium, "outlier_damped"},
      {"rs fallback", with_flag(evidence(2), Flag::rs_from_temperature), QualityLevel::low,
       "rs_from_temperature"},
      {"wind default", with_flag(evidence(2), Flag::wind_defaulted), QualityLevel::low,
       "wind_defaulted"},
      {"eto missing", missing, QualityLevel::low, "eto_missing"},
      {"harmless humidity path", with_flag(evidence(2), Flag::ea_from_rh_max_min),
       QualityLevel::high, "sources_agree"},
  };
  for (const auto& c : cases) {
    const auto q = assess_day(c.evidence);
    EXPECT_EQ(q.level, c.level) << c.name;
    EXPECT_TRUE(has_reason(q, c.reason)) << c.name;
  }
}

TEST(AssessDay, ListsEveryReasonThatFired) {
  DayEvidence e = evidence(1);
  e.outlier_damped = true;
  e.interpolated = true;
  const auto q = assess_day(e);
  EXPECT_EQ(q.level, QualityLevel::medium);
  EXPECT_EQ(q.reasons.size(), 3U);
  EXPECT_STREQ(to_string(QualityLevel::medium), "medium");
}

}  // namespace
}  // namespace evapo::core
