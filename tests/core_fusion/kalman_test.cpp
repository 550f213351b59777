#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/core/kalman.hpp>

namespace evapo::core {
namespace {

TEST(KalmanFilter, FirstMeasurementInitialisesThenStandardUpdate) {
  const std::vector<double> z = {10.0, 12.0};
  const std::vector<double> r = {1.0, 1.0};
  const auto out = kalman_filter(z, r, {.process_variance = 1.0, .outlier_sigma = 3.0});
  ASSERT_EQ(out.size(), 2U);
  EXPECT_DOUBLE_EQ(out[0].value, 10.0);
  EXPECT_DOUBLE_EQ(out[0].variance, 1.0);
  // P⁻ = 2, K = 2/3, x = 10 + 2/3·2, P = 2/3.
  EXPECT_NEAR(out[1].value, 10.0 + 4.0 / 3.0, 1e-12);
  EXPECT_NEAR(out[1].variance, 2.0 / 3.0, 1e-12);
  EXPECT_FALSE(out[1].outlier);
  EXPECT_LT(out[1].variance, r[1]);  // never less certain than the measurement
}

TEST(KalmanFilter, OutlierInflatesMeasurementNoise) {
  // Steady 20 °C with one spike to 40 °C: ν = 20 far beyond 3√S.
  std::vector<double> z(10, 20.0);
  z[5] = 40.0;
  const std::vector<double> r(10, 0.5);
  const KalmanOptions options{.process_variance = 1.0, .outlier_sigma = 3.0};
  const auto out = kalman_filter(z, r, options);
  EXPECT_TRUE(out[5].outlier);
  // Bounded influence: the update is K·ν = 9 P⁻ / ν, well under the raw jump.
  const double p_prior = out[4].variance + 1.0;
  EXPECT_NEAR(out[5].value - out[4].value, 9.0 * p_prior / 20.0, 1e-9);
  EXPECT_LT(out[5].value, 21.0);
  for (int k = 0; k < 10; ++k) {
    if (k != 5) {
      EXPECT_FALSE(out[static_cast<std::size_t>(k)].outlier) << k;
    }
  }
  // Without the inflation the filter would have followed the spike most of the way.
  const auto naive = kalman_filter(z, r, {.process_variance = 1.0, .outlier_sigma = 1e9});
  EXPECT_GT(naive[5].value, 30.0);
}

TEST(KalmanFilter, MissingDaysStayMissingAndWidenTheNextPrior) {
  const std::vector<double> z = {domain::kMissing, 10.0, domain::kMissing, 11.0};
  const std::vector<double> r = {1.0, 1.0, 1.0, 1.0};
  const auto out = kalman_filter(z, r, {.process_variance = 1.0, .outlier_sigma = 3.0});
  EXPECT_TRUE(domain::is_missing(out[0].value));
  EXPECT_DOUBLE_EQ(out[1].value, 10.0);
  EXPECT_TRUE(domain::is_missing(out[2].value));
  // P⁻ = 1 + 1 + 1 = 3 after one skipped day: K = 3/4.
  EXPECT_NEAR(out[3].value, 10.75, 1e-12);
  EXPECT_NEAR(out[3].variance, 0.75, 1e-12);
}

TEST(KalmanFilter, FollowsARealTrend) {
  // A steady warming of 1 °C/day is not an outlier with the default Q.
  std::vector<double> z;
  for (int k = 0; k < 15; ++k) z.push_back(15.0 + k);
  const std::vector<double> r(z.size(), 0.5);
  const auto out = kalman_filter(
      z, r, {.process_variance = default_process_variance(Variable::tmax_c), .outlier_sigma = 3.0});
  for (const auto& point : out) EXPECT_FALSE(point.outlier);
  EXPECT_NEAR(out.back().value, z.back(), 0.2);
}

}  // namespace
}  // namespace evapo::core
