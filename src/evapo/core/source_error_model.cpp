#include <algorithm>
#include <cmath>
#include <utility>

#include <evapo/core/source_error_model.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::core {

namespace {

using domain::is_missing;

struct Pair {
  std::size_t i = 0;
  std::size_t j = 0;
  double days = 0.0;      // common days
  double variance = 0.0;  // robust variance of x_i - x_j
  double mean = 0.0;      // robust centre (median) of x_i - x_j
};

double median_in_place(std::vector<double>& x) {
  const auto middle = x.begin() + static_cast<std::ptrdiff_t>(x.size() / 2);
  std::nth_element(x.begin(), middle, x.end());
  const double upper = *middle;
  if (x.size() % 2 == 1) return upper;
  return 0.5 * (upper + *std::max_element(x.begin(), middle));
}

// The median and 1.4826 MAD (the standard deviation for Gaussian data), unmoved by a few spikes.
std::pair<double, double> robust_centre_and_variance(std::vector<double>& differences) {
  const double centre = median_in_place(differences);
  for (double& d : differences) d = std::abs(d - centre);
  const double sd = 1.4826 * median_in_place(differences);
  return {centre, sd * sd};
}

// Solves a x = b in place (Gaussian elimination, partial pivoting); false when singular.
bool solve(std::vector<std::vector<double>>& a, std::vector<double>& b) {
  const std::size_t n = b.size();
  double scale = 0.0;
  for (const auto& row : a)
    for (double v : row) scale = std::max(scale, std::abs(v));
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r)
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
    if (std::abs(a[pivot][col]) <= 1e-9 * scale) return false;
    std::swap(a[pivot], a[col]);
    std::swap(b[pivot], b[col]);
    for (std::size_t r = col + 1; r < n; ++r) {
      const double f = a[r][col] / a[col][col];
      for (std::size_t c = col; c < n; ++c) a[r][c] -= f * a[col][c];
      b[r] -= f * b[col];
    }
  }
  for (std::size_t col = n; col-- > 0;) {
    for (std::size_t c = col + 1; c < n; ++c) b[col] -= a[col][c] * b[c];
    b[col] /= a[col][col];
  }
  return true;
}

}  // namespace

SourceErrorModel estimate_error_model(std::span<const SourceSeries> sources,
                                      const ErrorModelOptions& options) {
  const std::size_t n = sources.size();
  SourceErrorModel model;
  auto& result = model.variances;
  result.resize(n);
  for (std::size_t i = 0; i < n; ++i) result[i] = sources[i].prior_variance;
  if (n < 2) return model;

  std::vector<Pair> pairs;
  std::vector<double> differences;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      differences.clear();
      const auto& a = sources[i].values;
      const auto& b = sources[j].values;
      for (std::size_t d = 0; d < std::min(a.size(), b.size()); ++d) {
        if (!is_missing(a[d]) && !is_missing(b[d])) differences.push_back(a[d] - b[d]);
      }
      if (static_cast<int>(differences.size()) < options.min_common_days) continue;
      const auto days = static_cast<double>(differences.size());
      const auto [centre, variance] = robust_centre_and_variance(differences);
      pairs.push_back({i, j, days, variance, centre});
    }
  }
  if (pairs.empty()) return model;

  std::vector<double> days(n, 0.0);
  std::vector<int> pair_count(n, 0);
  for (const Pair& p : pairs) {
    days[p.i] += p.days;
    days[p.j] += p.days;
    ++pair_count[p.i];
    ++pair_count[p.j];
  }
  // Least squares over the pairs, each weighted by its common days (the three-cornered hat),
  // among the sources that share days with some other.
  std::vector<std::size_t> slot(n, n);
  std::size_t active = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (pair_count[i] > 0) slot[i] = active++;
  std::vector<std::vector<double>> normal(active, std::vector<double>(active, 0.0));
  std::vector<double> solution(active, 0.0);
  for (const Pair& p : pairs) {
    const std::size_t a = slot[p.i];
    const std::size_t b = slot[p.j];
    normal[a][a] += p.days;
    normal[b][b] += p.days;
    normal[a][b] += p.days;
    normal[b][a] += p.days;
    solution[a] += p.days * p.variance;
    solution[b] += p.days * p.variance;
  }
  std::vector<double> learnt(n, 0.0);
  if (active >= 3 && solve(normal, solution)) {
    for (std::size_t i = 0; i < n; ++i)
      if (slot[i] < n) learnt[i] = solution[slot[i]];
  } else {
    // Only sums are identifiable: split each pair's variance in the ratio of the priors.
    for (const Pair& p : pairs) {
      const double pi = sources[p.i].prior_variance;
      const double pj = sources[p.j].prior_variance;
      learnt[p.i] += p.days * p.variance * pi / (pi + pj);
      learnt[p.j] += p.days * p.variance * pj / (pi + pj);
    }
    for (std::size_t i = 0; i < n; ++i)
      if (days[i] > 0.0) learnt[i] /= days[i];
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (pair_count[i] == 0) continue;  // no common days with anyone: the prior stands
    const double prior = sources[i].prior_variance;
    const double m = days[i] / static_cast<double>(pair_count[i]);
    const double sample = std::max(learnt[i], 0.0);
    const double shrunk = (options.prior_days * prior + m * sample) / (options.prior_days + m);
    result[i] = std::max(shrunk, options.floor_share_of_prior * prior);
  }
  double mean_square = 0.0;
  double pair_days = 0.0;
  for (const Pair& p : pairs) {
    mean_square += p.mean * p.mean;
    pair_days += p.days;
  }
  const double m = pair_days / static_cast<double>(pairs.size());
  model.bias_variance =
      mean_square / static_cast<double>(pairs.size()) / 2.0 * m / (options.prior_days + m);
  return model;
}

}  // namespace evapo::core
