#include <algorithm>
#include <cmath>
#include <limits>

#include <evapo/core/hourly_to_daily.hpp>

namespace evapo::core {

namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int index_of(HourlyVariable variable) {
  return static_cast<int>(variable);
}

// Running statistics of one variable over one day.
struct Stat {
  int count = 0;
  double sum = 0.0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (std::isnan(v)) return;
    ++count;
    sum += v;
    min = std::min(min, v);
    max = std::max(max, v);
  }
  double mean_if(int min_count) const {
    return count >= min_count && count > 0 ? sum / count : domain::kMissing;
  }
};

}  // namespace

void HourlyTable::set(std::int64_t time_utc_s, HourlyVariable variable, double value) {
  if (std::isnan(value)) return;
  const std::int64_t hour = floor_div(time_utc_s, kHour) * kHour;
  auto [it, inserted] = hours_.try_emplace(hour);
  if (inserted)
    std::fill(std::begin(it->second.values), std::end(it->second.values), domain::kMissing);
  it->second.values[index_of(variable)] = value;
}

void HourlyTable::add_interval(HourlyVariable variable, const IntervalValue& interval,
                               IntervalKind kind) {
  if (std::isnan(interval.value) || interval.duration_s <= 0) return;
  if (kind == IntervalKind::extreme) {
    set(interval.start_utc_s + interval.duration_s / 2, variable, interval.value);
    return;
  }
  const std::int64_t first = floor_div(interval.start_utc_s, kHour) * kHour;
  const std::int64_t end = interval.start_utc_s + interval.duration_s;
  const std::int64_t hours = std::max<std::int64_t>(1, floor_div(end - first + kHour - 1, kHour));
  const double per_hour =
      kind == IntervalKind::amount ? interval.value / static_cast<double>(hours) : interval.value;
  for (std::int64_t h = 0; h < hours; ++h) set(first + h * kHour, variable, per_hour);
}

std::vector<domain::WeatherDay> HourlyTable::to_local_days(
    int utc_offset_seconds, double wind_height_m, const DailyAggregationOptions& options) const {
  std::vector<domain::WeatherDay> days;
  auto it = hours_.begin();
  while (it != hours_.end()) {
    const std::int64_t local_day = floor_div(it->first + utc_offset_seconds, kDay);
    Stat temp, temp_max, temp_min, tdew, rh, wind, rs, precip;
    int temp_hours = 0;
    for (; it != hours_.end() && floor_div(it->first + utc_offset_seconds, kDay) == local_day;
         ++it) {
      const double* v = it->second.values;
      temp.add(v[index_of(HourlyVariable::temp_c)]);
      temp_max.add(v[index_of(HourlyVariable::temp_max_c)]);
      temp_min.add(v[index_of(HourlyVariable::temp_min_c)]);
      tdew.add(v[index_of(HourlyVariable::tdew_c)]);
      rh.add(v[index_of(HourlyVariable::rh_pct)]);
      wind.add(v[index_of(HourlyVariable::wind_m_s)]);
      rs.add(v[index_of(HourlyVariable::rs_w_m2)]);
      precip.add(v[index_of(HourlyVariable::precip_mm)]);
      const bool any_temp = !std::isnan(v[index_of(HourlyVariable::temp_c)]) ||
                            !std::isnan(v[index_of(HourlyVariable::temp_max_c)]) ||
                            !std::isnan(v[index_of(HourlyVariable::temp_min_c)]);
      if (any_temp) ++temp_hours;
    }
    domain::WeatherDay day;
    day.date = domain::Date{std::chrono::sys_days{std::chrono::days{local_day}}};
    day.wind_height_m = wind_height_m;
    if (temp_hours >= options.min_hours_level) {
      const double hi = std::max(temp.max, temp_max.max);
      const double lo = std::min(temp.min, temp_min.min);
      day.tmax_c = std::isfinite(hi) ? hi : domain::kMissing;
      day.tmin_c = std::isfinite(lo) ? lo : domain::kMissing;
    }
    day.tmean_c = temp.mean_if(options.min_hours_level);
    day.tdew_c = tdew.mean_if(options.min_hours_level);
    if (rh.count >= options.min_hours_level && rh.count > 0) {
      day.rh_max_pct = rh.max;
      day.rh_min_pct = rh.min;
      day.rh_mean_pct = rh.sum / rh.count;
    }
    day.wind_m_s = wind.mean_if(options.min_hours_level);
    if (rs.count >= options.min_hours_sum) day.rs_mj_m2 = rs.sum * 3600.0 / 1.0e6;
    if (precip.count >= options.min_hours_sum) day.precip_mm = precip.sum;
    days.push_back(day);
  }
  return days;
}

}  // namespace evapo::core
