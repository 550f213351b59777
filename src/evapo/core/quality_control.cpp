#include <algorithm>
#include <cmath>
#include <numbers>

#include <evapo/core/quality_control.hpp>
#include <evapo/core/radiation.hpp>

namespace evapo::core {

using domain::is_missing;
using domain::kMissing;

double wind_at_2m(double uz_m_s, double z_m) {
  if (std::abs(z_m - 2.0) < 1e-9) return uz_m_s;
  return uz_m_s * 4.87 / std::log(67.8 * z_m - 5.42);
}

double extraterrestrial_radiation_mj_m2(double latitude_deg, int day_of_year) {
  constexpr double kGsc = 0.0820;  // solar constant, MJ m-2 min-1
  const auto j = static_cast<double>(day_of_year);
  const double phi = latitude_deg * std::numbers::pi / 180.0;
  const double dr = 1.0 + 0.033 * std::cos(2.0 * std::numbers::pi / 365.0 * j);      // Eq. 23
  const double delta = 0.409 * std::sin(2.0 * std::numbers::pi / 365.0 * j - 1.39);  // Eq. 24
  const double x = std::clamp(-std::tan(phi) * std::tan(delta), -1.0, 1.0);
  const double ws = std::acos(x);  // Eq. 25
  const double ra = 24.0 * 60.0 / std::numbers::pi * kGsc * dr *
                    (ws * std::sin(phi) * std::sin(delta) +
                     std::cos(phi) * std::cos(delta) * std::sin(ws));  // Eq. 21
  return std::max(ra, 0.0);
}

namespace {

const Limit& limit_for(Variable v, const PhysicalLimits& limits) {
  switch (v) {
    case Variable::tmax_c:
    case Variable::tmin_c:
    case Variable::tdew_c:
      return limits.temperature_c;
    case Variable::rh_max_pct:
    case Variable::rh_min_pct:
    case Variable::rh_mean_pct:
      return limits.rh_pct;
    case Variable::u2_m_s:
      return limits.wind_m_s;
    case Variable::rs_mj_m2:
      return limits.rs_mj_m2;
    case Variable::precip_mm:
      return limits.precip_mm;
  }
  return limits.temperature_c;
}

void reject(domain::WeatherDay& day, DayQc& qc, Variable v, int& count) {
  double& value = value_of(day, v);
  if (is_missing(value)) return;
  value = kMissing;
  qc.rejected |= bit_of(v);
  ++count;
}

// Runs of at least `min_run` days with the very same value: a stuck sensor or a fill value.
void reject_stuck_runs(std::span<domain::WeatherDay> days, std::span<DayQc> qc, Variable v,
                       int min_run, QcReport& report) {
  const std::size_t n = days.size();
  std::size_t start = 0;
  while (start < n) {
    const double value = value_of(days[start], v);
    std::size_t end = start + 1;
    while (end < n && !is_missing(value) && value_of(days[end], v) == value) ++end;
    const bool exempt = is_missing(value) || (v == Variable::rh_max_pct && value >= 100.0) ||
                        (v == Variable::rs_mj_m2 && value == 0.0);
    if (!exempt && static_cast<int>(end - start) >= min_run) {
      for (std::size_t k = start; k < end; ++k) {
        reject(days[k], qc[k], v, report.rejected_values);
        ++report.stuck_values;
      }
    }
    start = end;
  }
}

// q: mean squared change between consecutive observed days (0 with fewer than two).
double day_to_day_variance(std::span<const domain::WeatherDay> days, Variable v) {
  double sum = 0.0;
  int count = 0;
  for (std::size_t i = 1; i < days.size(); ++i) {
    const double a = value_of(days[i - 1], v);
    const double b = value_of(days[i], v);
    if (is_missing(a) || is_missing(b)) continue;
    sum += (b - a) * (b - a);
    ++count;
  }
  return count > 0 ? sum / count : 0.0;
}

// Fills runs of <= max_gap missing values bounded by values on both sides: the random-walk
// smoother's mean (a straight line) and its Brownian-bridge variance q·d1·d2/(d1+d2).
void fill_gaps(std::span<domain::WeatherDay> days, std::span<DayQc> qc, Variable v, int max_gap,
               int& count) {
  const double q = day_to_day_variance(days, v);
  const auto vi = static_cast<std::size_t>(index_of(v));
  const int n = static_cast<int>(days.size());
  int last_valid = -1;
  for (int i = 0; i < n; ++i) {
    const double value = value_of(days[static_cast<std::size_t>(i)], v);
    if (is_missing(value)) continue;
    const int gap = i - last_valid - 1;
    if (last_valid >= 0 && gap > 0 && gap <= max_gap) {
      const double start = value_of(days[static_cast<std::size_t>(last_valid)], v);
      for (int k = last_valid + 1; k < i; ++k) {
        const auto d1 = static_cast<double>(k - last_valid);
        const auto d2 = static_cast<double>(i - k);
        value_of(days[static_cast<std::size_t>(k)], v) = start + d1 / (d1 + d2) * (value - start);
        auto& day_qc = qc[static_cast<std::size_t>(k)];
        day_qc.interpolated |= bit_of(v);
        day_qc.fill_variance[vi] = q * d1 * d2 / (d1 + d2);
        ++count;
      }
    }
    last_valid = i;
  }
}

}  // namespace

QcReport clean_source_days(std::span<domain::WeatherDay> days, double latitude_deg,
                           const QcOptions& options) {
  QcReport report;
  report.days.resize(days.size());
  for (std::size_t i = 0; i < days.size(); ++i) {
    auto& day = days[i];
    auto& qc = report.days[i];
    if (!is_missing(day.wind_m_s)) day.wind_m_s = wind_at_2m(day.wind_m_s, day.wind_height_m);
    day.wind_height_m = 2.0;
    for (Variable v : kVariables) {
      const double value = value_of(day, v);
      if (!is_missing(value) && !limit_for(v, options.limits).contains(value)) {
        reject(day, qc, v, report.rejected_values);
      }
    }
    if (!is_missing(day.upstream_eto_mm) &&
        !options.limits.upstream_eto_mm.contains(day.upstream_eto_mm)) {
      day.upstream_eto_mm = kMissing;
    }
    if (!is_missing(day.tmean_c) && !options.limits.temperature_c.contains(day.tmean_c)) {
      day.tmean_c = kMissing;
    }
    if (day.tmax_c < day.tmin_c) {  // false when either is NaN
      reject(day, qc, Variable::tmax_c, report.rejected_values);
      reject(day, qc, Variable::tmin_c, report.rejected_values);
    }
    if (day.rh_min_pct > day.rh_max_pct) {
      reject(day, qc, Variable::rh_max_pct, report.rejected_values);
      reject(day, qc, Variable::rh_min_pct, report.rejected_values);
    }
    if (!is_missing(day.rs_mj_m2)) {
      const double ra =
          extraterrestrial_radiation_mj_m2(latitude_deg, domain::day_of_year(day.date));
      // Polar night (Ra = 0): any Rs above 0 is impossible; exactly 0 is kept.
      const double rso = clear_sky_radiation_simple(ra, options.elevation_m);  // FAO-56 Eq. 37
      const bool ok = ra <= 0.0 ? day.rs_mj_m2 == 0.0
                                : day.rs_mj_m2 >= options.rs_min_fraction_of_ra * ra &&
                                      day.rs_mj_m2 <= ra &&
                                      day.rs_mj_m2 <= rso + options.rs_clear_sky_margin_mj_m2;
      if (!ok) reject(day, qc, Variable::rs_mj_m2, report.rejected_values);
    }
  }
  for (Variable v : kVariables) {
    if (v == Variable::precip_mm) continue;
    reject_stuck_runs(days, report.days, v, options.stuck_run_days, report);
  }
  for (Variable v : kVariables) {
    if (v == Variable::precip_mm) continue;
    fill_gaps(days, report.days, v, options.max_gap_days, report.interpolated_values);
  }
  return report;
}

}  // namespace evapo::core
