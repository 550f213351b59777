#pragma once

// Stage 2 of the fusion: a scalar Kalman filter over consecutive days of one variable, with
// measurement noise inflated for outliers. Pure; no I/O. No climatological prior: the filter
// starts from the first measurement, so it never pulls the answer toward a normal.

#include <span>
#include <vector>

#include <evapo/core/fusion_variables.hpp>

namespace evapo::core {

struct KalmanOptions {
  /// Q: variance of the day-to-day change of the true value (random-walk state model).
  double process_variance = 1.0;
  /// An innovation ν beyond outlier_sigma·√S (S = P⁻ + R) is an outlier: R is raised to
  /// ν²/outlier_sigma² − P⁻ so that ν sits exactly at the threshold (bounded influence).
  double outlier_sigma = 3.0;
};

/// Filtered value of one day.
struct KalmanPoint {
  double value = domain::kMissing;     // posterior mean; missing when the day had no measurement
  double variance = domain::kMissing;  // posterior variance P
  bool outlier = false;                // the measurement's noise was inflated
};

/// Runs x_k = x_{k-1} + w (w ~ N(0, Q)), z_k = x_k + v (v ~ N(0, R_k)) forward over the days.
/// `z` and `r` have equal lengths; a missing z_k (or R_k not > 0) leaves that day missing and
/// only predicts (P grows by Q). The first measurement initialises x = z, P = R.
std::vector<KalmanPoint> kalman_filter(std::span<const double> z, std::span<const double> r,
                                       const KalmanOptions& options);

/// Default Q per variable: the variance of typical day-to-day changes (Tmax/Tmin/Tdew 3 °C,
/// RH 10 %, u2 1 m/s, Rs 4 MJ m-2 as standard deviations), so the filter follows real weather
/// and mainly damps isolated spikes.
double default_process_variance(Variable v);

}  // namespace evapo::core
