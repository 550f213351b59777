#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/core/fusion.hpp>

namespace evapo::core {
namespace {

using domain::SourceId;

TEST(InverseVarianceEnsemble, EqualSourcesGiveTheSameValueAndHalfTheVariance) {
  const SourceEstimate e[] = {{SourceId::nasa_power, 30.0, 2.0},
                              {SourceId::open_meteo_archive, 30.0, 2.0}};
  const auto r = inverse_variance_ensemble(e);
  EXPECT_DOUBLE_EQ(r.value, 30.0);
  EXPECT_DOUBLE_EQ(r.variance, 1.0);
  EXPECT_EQ(r.count, 2);
  EXPECT_EQ(r.sources, (1U << 0) | (1U << 1));
  EXPECT_DOUBLE_EQ(r.max_disagreement_sigma, 0.0);
  EXPECT_FALSE(r.inflated);
}

TEST(InverseVarianceEnsemble, WeightsByInverseVariance) {
  // w = 1/1 and 1/4: (32*1 + 30*0.25) / 1.25 = 31.6, variance 1/1.25 = 0.8.
  const SourceEstimate e[] = {{SourceId::nasa_power, 32.0, 1.0},
                              {SourceId::open_meteo_archive, 30.0, 4.0}};
  const auto r = inverse_variance_ensemble(e);
  EXPECT_NEAR(r.value, 31.6, 1e-12);
  EXPECT_NEAR(r.variance, 0.8, 1e-12);
  // z = 2 / sqrt(1 + 4) < 3: no inflation.
  EXPECT_NEAR(r.max_disagreement_sigma, 2.0 / std::sqrt(5.0), 1e-12);
}

TEST(InverseVarianceEnsemble, SkipsMissingAndSingleSourcePassesThrough) {
  const SourceEstimate e[] = {{SourceId::nasa_power, domain::kMissing, 1.0},
                              {SourceId::open_meteo_archive, 21.5, 2.25},
                              {SourceId::nws, 25.0, 0.0}};
  const auto r = inverse_variance_ensemble(e);
  EXPECT_DOUBLE_EQ(r.value, 21.5);
  EXPECT_DOUBLE_EQ(r.variance, 2.25);
  EXPECT_EQ(r.count, 1);
  const auto none = inverse_variance_ensemble(std::span<const SourceEstimate>{});
  EXPECT_TRUE(domain::is_missing(none.value));
  EXPECT_EQ(none.count, 0);
}

TEST(InverseVarianceEnsemble, SpikingSourceIsDownWeighted) {
  // Two sources agree on 20; a third spikes to 35 with the same prior variance.
  const SourceEstimate e[] = {{SourceId::nasa_power, 20.0, 1.0},
                              {SourceId::open_meteo_archive, 20.2, 1.0},
                              {SourceId::open_meteo_forecast, 35.0, 1.0}};
  const auto r = inverse_variance_ensemble(e);
  const double plain_mean = (20.0 + 20.2 + 35.0) / 3.0;
  EXPECT_TRUE(r.inflated);
  EXPECT_GT(r.max_disagreement_sigma, 5.0);
  EXPECT_LT(std::abs(r.value - 20.1), 0.5 * std::abs(plain_mean - 20.1));
  EXPECT_LT(r.value, 21.0);
}

TEST(InverseVarianceEnsemble, BiasedSourceWithLargerPriorCountsLess) {
  // Source B reads 2 °C high; with σ² = 4 against 1 its pull is 1/5 of the bias.
  const SourceEstimate e[] = {{SourceId::nasa_power, 25.0, 1.0},
                              {SourceId::open_meteo_archive, 27.0, 4.0}};
  const auto r = inverse_variance_ensemble(e);
  EXPECT_NEAR(r.value, 25.4, 1e-12);
}

TEST(InverseVarianceEnsemble, TwoDisagreeingSourcesWidenTheVariance) {
  const SourceEstimate e[] = {{SourceId::nasa_power, 10.0, 1.0},
                              {SourceId::open_meteo_archive, 20.0, 1.0}};
  const auto r = inverse_variance_ensemble(e);
  // Symmetric inflation: same mean, but variance grows by (z/3)² with z = 10/sqrt(2).
  EXPECT_DOUBLE_EQ(r.value, 15.0);
  const double z = 10.0 / std::sqrt(2.0);
  EXPECT_NEAR(r.variance, 0.5 * (z / 3.0) * (z / 3.0), 1e-9);
}

TEST(FusionPriors, ReproduceThePublishedWeights) {
  const auto priors = FusionPriors::defaults(FusionContext::reanalysis);
  struct Case {
    Variable v;
    double nasa_weight;
  };
  const Case cases[] = {{Variable::tmax_c, 0.58},      {Variable::tmin_c, 0.52},
                        {Variable::rh_mean_pct, 0.35}, {Variable::u2_m_s, 0.20},
                        {Variable::rs_mj_m2, 0.92},    {Variable::precip_mm, 0.50}};
  for (const auto& c : cases) {
    const double wn = 1.0 / priors.variance(SourceId::nasa_power, c.v);
    const double wo = 1.0 / priors.variance(SourceId::open_meteo_archive, c.v);
    EXPECT_NEAR(wn / (wn + wo), c.nasa_weight, 1e-12) << to_string(c.v);
  }
  const auto usa = FusionPriors::defaults(FusionContext::forecast_usa);
  const double w_nws = 1.0 / usa.variance(SourceId::nws, Variable::tmax_c);
  const double w_om = 1.0 / usa.variance(SourceId::open_meteo_forecast, Variable::tmax_c);
  const double w_met = 1.0 / usa.variance(SourceId::met_norway, Variable::tmax_c);
  EXPECT_NEAR(w_nws / (w_nws + w_om + w_met), 0.50, 1e-12);
  EXPECT_NEAR(w_met / (w_nws + w_om + w_met), 0.20, 1e-12);
  const auto global = FusionPriors::defaults(FusionContext::forecast_global);
  const double g_om = 1.0 / global.variance(SourceId::open_meteo_forecast, Variable::rs_mj_m2);
  const double g_met = 1.0 / global.variance(SourceId::met_norway, Variable::rs_mj_m2);
  EXPECT_NEAR(g_om / (g_om + g_met), 0.70, 1e-12);
  // Equal weights give each source the typical error.
  EXPECT_NEAR(priors.variance(SourceId::nasa_power, Variable::precip_mm), 9.0, 1e-12);
}

TEST(FusionContext, ByModeAndRegionBox) {
  EXPECT_EQ(fusion_context(40.7, -74.0, false), FusionContext::reanalysis);
  EXPECT_EQ(fusion_context(40.7, -74.0, true), FusionContext::forecast_usa);
  EXPECT_EQ(fusion_context(59.9, 10.75, true), FusionContext::forecast_nordic);
  EXPECT_EQ(fusion_context(-22.7, -47.6, true), FusionContext::forecast_global);
  EXPECT_EQ(fusion_context(51.5, -0.1, true), FusionContext::forecast_global);
}

}  // namespace
}  // namespace evapo::core
