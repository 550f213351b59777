// eto_sd_mm(): first-order propagation of input standard deviations.

#include <cmath>

#include <gtest/gtest.h>

#include <evapo/core/uncertainty.hpp>

namespace evapo::core {
namespace {

DailyInput example18() {
  DailyInput in;
  in.day_of_year = 187;
  in.tmax_c = 21.5;
  in.tmin_c = 12.3;
  in.rh_max_pct = 84;
  in.rh_min_pct = 63;
  in.wind_m_s = 2.078;
  in.rs_mj_m2 = 22.07;
  return in;
}
constexpr Site kBrussels{.latitude_deg = 50.8, .elevation_m = 100};

TEST(Uncertainty, ZeroWhenInputsAreExact) {
  EXPECT_EQ(eto_sd_mm(example18(), {}, kBrussels), 0.0);
}

TEST(Uncertainty, SingleInputEqualsSlopeTimesSd) {
  // ETo is nearly linear in Rs (only fcd bends it): the propagated sd of Rs alone must equal the
  // secant slope over ±1 MJ times the sd.
  const DailyInput in = example18();
  DailyInput lo = in;
  DailyInput hi = in;
  lo.rs_mj_m2 -= 1.0;
  hi.rs_mj_m2 += 1.0;
  const double slope =
      (compute_daily(hi, kBrussels, {}).eto_mm - compute_daily(lo, kBrussels, {}).eto_mm) / 2.0;
  EXPECT_NEAR(eto_sd_mm(in, {.rs_mj_m2 = 2.0}, kBrussels), 2.0 * std::abs(slope), 1e-4);
}

TEST(Uncertainty, IndependentErrorsAddInQuadrature) {
  const DailyInput in = example18();
  const double t = eto_sd_mm(in, {.tmax_c = 1.0}, kBrussels);
  const double w = eto_sd_mm(in, {.wind_m_s = 0.5}, kBrussels);
  const double both = eto_sd_mm(in, {.tmax_c = 1.0, .wind_m_s = 0.5}, kBrussels);
  EXPECT_GT(t, 0.0);
  EXPECT_GT(w, 0.0);
  EXPECT_NEAR(both, std::hypot(t, w), 1e-12);
  // Doubling an sd doubles its contribution.
  EXPECT_NEAR(eto_sd_mm(in, {.tmax_c = 2.0}, kBrussels), 2 * t, 1e-9);
}

TEST(Uncertainty, AbsentInputsDoNotContributeAndNanPropagates) {
  DailyInput in = example18();
  EXPECT_EQ(eto_sd_mm(in, {.tdew_c = 1.0}, kBrussels), 0.0);  // Tdew not given
  in.wind_m_s = 0.0;  // calm: one-sided difference at the boundary
  EXPECT_TRUE(std::isfinite(eto_sd_mm(in, {.wind_m_s = 0.3}, kBrussels)));
  in.tmin_c = domain::kMissing;
  EXPECT_TRUE(std::isnan(eto_sd_mm(in, {.tmax_c = 1.0}, kBrussels)));
}

}  // namespace
}  // namespace evapo::core
