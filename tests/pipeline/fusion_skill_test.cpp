// The fusion skill benchmark (bench/fusion_skill, issue 10) at fixed seeds, one per source
// count: the fused ETo beats the best single source and the replaced design, and its reported
// uncertainty covers about 68 % of the days at 1 sd.

#include "fusion_skill.hpp"

#include <gtest/gtest.h>

namespace evapo::bench {
namespace {

TEST(FusionSkill, FusedBeatsTheBestSingleSourceAndTheOldDesign) {
  const auto truth = fallon_truth();
  ASSERT_EQ(truth.size(), 365U);
  for (int sources = 2; sources <= 4; ++sources) {
    const auto r = run_scenario(truth, 1000 + static_cast<unsigned>(sources), sources);
    SCOPED_TRACE(std::to_string(sources) + " sources");
    ASSERT_GT(r.scored_days, 200);
    EXPECT_LT(r.fused.mae_mm, r.best_single().mae_mm);
    EXPECT_LT(r.fused.mae_mm, r.old_design.mae_mm);
    EXPECT_GT(r.fused.kge, r.best_single().kge - 0.05);  // averaging narrows the spread a little
    EXPECT_GE(r.fused.coverage, r.singles.front().coverage);
    EXPECT_NEAR(r.within_1sd, 0.68, 0.12);
    EXPECT_GT(r.within_2sd, 0.85);
  }
}

}  // namespace
}  // namespace evapo::bench
