#include <cmath>
#include <limits>

#include <evapo/core/agreement.hpp>

namespace evapo::core {

Agreement agreement(std::span<const double> reference, std::span<const double> estimate) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  Agreement score{.bias = kNaN,
                  .rmse = kNaN,
                  .r_squared = kNaN,
                  .kge = kNaN,
                  .reference_mean = kNaN,
                  .estimate_mean = kNaN};
  double sum_reference = 0.0;
  double sum_estimate = 0.0;
  const std::size_t size = std::min(reference.size(), estimate.size());
  for (std::size_t i = 0; i < size; ++i) {
    if (std::isnan(reference[i]) || std::isnan(estimate[i])) continue;
    ++score.pairs;
    sum_reference += reference[i];
    sum_estimate += estimate[i];
  }
  if (score.pairs == 0) return score;
  const auto n = static_cast<double>(score.pairs);
  const double mean_reference = sum_reference / n;
  const double mean_estimate = sum_estimate / n;
  double squared_error = 0.0;
  double var_reference = 0.0;
  double var_estimate = 0.0;
  double covariance = 0.0;
  for (std::size_t i = 0; i < size; ++i) {
    if (std::isnan(reference[i]) || std::isnan(estimate[i])) continue;
    const double dr = reference[i] - mean_reference;
    const double de = estimate[i] - mean_estimate;
    squared_error += (estimate[i] - reference[i]) * (estimate[i] - reference[i]);
    var_reference += dr * dr;
    var_estimate += de * de;
    covariance += dr * de;
  }
  score.reference_mean = mean_reference;
  score.estimate_mean = mean_estimate;
  score.bias = mean_estimate - mean_reference;
  score.rmse = std::sqrt(squared_error / n);
  if (score.pairs < 2 || var_reference <= 0.0 || var_estimate <= 0.0) return score;
  const double r = covariance / std::sqrt(var_reference * var_estimate);
  score.r_squared = r * r;
  // Gupta et al. (2009) Eq. 9: KGE = 1 - sqrt((r-1)^2 + (alpha-1)^2 + (beta-1)^2), with
  // alpha = sd_estimate / sd_reference and beta = mean_estimate / mean_reference.
  const double alpha = std::sqrt(var_estimate / var_reference);
  if (mean_reference != 0.0) {
    const double beta = mean_estimate / mean_reference;
    score.kge = 1.0 - std::sqrt((r - 1.0) * (r - 1.0) + (alpha - 1.0) * (alpha - 1.0) +
                                (beta - 1.0) * (beta - 1.0));
  }
  return score;
}

}  // namespace evapo::core
