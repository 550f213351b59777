#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/core/source_error_model.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::core {
namespace {

// A year of a "true" series and sources that add independent Gaussian noise (and a bias).
struct Synthetic {
  std::vector<std::vector<double>> values;
};

Synthetic make_sources(const std::vector<double>& sds, int days, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> unit(0.0, 1.0);
  std::vector<double> truth(static_cast<std::size_t>(days));
  for (int d = 0; d < days; ++d)
    truth[static_cast<std::size_t>(d)] = 20.0 + 8.0 * std::sin(d / 58.0) + 3.0 * unit(random);
  Synthetic s;
  for (std::size_t i = 0; i < sds.size(); ++i) {
    std::vector<double> v(truth);
    for (double& x : v) x += 0.5 * static_cast<double>(i) + sds[i] * unit(random);
    s.values.push_back(v);
  }
  return s;
}

std::vector<SourceSeries> series_of(const Synthetic& s, const std::vector<double>& priors) {
  std::vector<SourceSeries> out;
  for (std::size_t i = 0; i < s.values.size(); ++i) out.push_back({s.values[i], priors[i]});
  return out;
}

ErrorModelOptions no_floor() {
  ErrorModelOptions options;
  options.floor_share_of_prior = 0.0;
  return options;
}

ErrorModelOptions no_prior_days() {
  ErrorModelOptions options;
  options.prior_days = 0.0;
  return options;
}

TEST(EstimateErrorVariances, ThreeCorneredHatRecoversEachSourcesNoise) {
  // The priors say the opposite of the truth; a year of data wins.
  const std::vector<double> sd = {0.8, 1.5, 2.5};
  const auto data = make_sources(sd, 365, 7);
  const auto variances =
      estimate_error_model(series_of(data, {4.0, 2.0, 1.0}), no_floor()).variances;
  ASSERT_EQ(variances.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    // Shrinkage toward the prior (30 days against 365) plus sampling error: within 25 %.
    EXPECT_NEAR(std::sqrt(variances[i]), sd[i], 0.25 * sd[i]) << i;
  }
  EXPECT_LT(variances[0], variances[1]);
  EXPECT_LT(variances[1], variances[2]);
}

TEST(EstimateErrorModel, BiasSpreadFromTheMeanDifferences) {
  // Biases 0, 0.5 and 1.0: mean differences 0.5, 1.0, 0.5, so τ² = (0.25 + 1 + 0.25) / 3 / 2
  // = 0.25, shrunk by 365 / (30 + 365).
  const auto data = make_sources({0.3, 0.3, 0.3}, 365, 13);
  const auto model = estimate_error_model(series_of(data, {1.0, 1.0, 1.0}));
  EXPECT_NEAR(model.bias_variance, 0.25 * 365.0 / 395.0, 0.03);
  std::vector<SourceSeries> one = {{data.values[0], 1.0}};
  EXPECT_DOUBLE_EQ(estimate_error_model(one).bias_variance, 0.0);
}

TEST(EstimateErrorVariances, TwoSourcesSplitTheirDisagreementInThePriorRatio) {
  const auto data = make_sources({1.0, 2.0}, 365, 11);
  const auto variances =
      estimate_error_model(series_of(data, {1.0, 3.0}), no_prior_days()).variances;
  EXPECT_NEAR(variances[1] / variances[0], 3.0, 1e-9);
  EXPECT_NEAR(variances[0] + variances[1], 5.0, 1.0);  // var(a - b) = 1 + 4, MAD: ±13 % sd
}

TEST(EstimateErrorVariances, FewCommonDaysLeaveThePriors) {
  const auto data = make_sources({1.0, 2.0, 3.0}, 9, 3);
  const auto variances = estimate_error_model(series_of(data, {2.0, 2.0, 2.0})).variances;
  for (double v : variances) EXPECT_DOUBLE_EQ(v, 2.0);
}

TEST(EstimateErrorVariances, IdenticalSourcesFallToTheFloorAndSpikesDoNotCount) {
  auto data = make_sources({1.0, 1.0}, 200, 5);
  data.values[1] = data.values[0];
  data.values[1][50] += 30.0;  // one spike: the median absolute deviation ignores it
  const auto variances = estimate_error_model(series_of(data, {2.0, 2.0})).variances;
  EXPECT_DOUBLE_EQ(variances[0], 0.25 * 2.0);
  EXPECT_DOUBLE_EQ(variances[1], 0.25 * 2.0);
}

TEST(EstimateErrorVariances, ASourceSharingNoDayKeepsItsPrior) {
  auto data = make_sources({1.0, 1.5, 2.0, 1.0}, 365, 9);
  for (double& x : data.values[3]) x = domain::kMissing;
  const auto variances =
      estimate_error_model(series_of(data, {1.0, 1.0, 1.0, 7.0}), no_floor()).variances;
  EXPECT_DOUBLE_EQ(variances[3], 7.0);
  EXPECT_NEAR(std::sqrt(variances[0]), 1.0, 0.25);
  EXPECT_NEAR(std::sqrt(variances[2]), 2.0, 0.5);
}

}  // namespace
}  // namespace evapo::core
