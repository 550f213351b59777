#include <algorithm>
#include <cmath>
#include <limits>

#include <evapo/core/hourly_to_daily.hpp>

namespace evapo::core {

namespace {

constexpr std::int64_t kHour = 3600;

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
    const domain::TimeZone& zone, double wind_height_m,
    const DailyAggregationOptions& options) const {
  struct DayStats {
    Stat temp, temp_max, temp_min, tdew, rh, wind, rs, precip;
    int temp_hours = 0;
  };
  // Keyed by local day: a fall-back change can give an hour an earlier day than the one before.
  std::map<std::int64_t, DayStats> by_day;
  for (const auto& [hour_utc_s, hour] : hours_) {
    DayStats& s = by_day[zone.local_day(hour_utc_s)];
    const double* v = hour.values;
    s.temp.add(v[index_of(HourlyVariable::temp_c)]);
    s.temp_max.add(v[index_of(HourlyVariable::temp_max_c)]);
    s.temp_min.add(v[index_of(HourlyVariable::temp_min_c)]);
    s.tdew.add(v[index_of(HourlyVariable::tdew_c)]);
    s.rh.add(v[index_of(HourlyVariable::rh_pct)]);
    s.wind.add(v[index_of(HourlyVariable::wind_m_s)]);
    s.rs.add(v[index_of(HourlyVariable::rs_w_m2)]);
    s.precip.add(v[index_of(HourlyVariable::precip_mm)]);
    const bool any_temp = !std::isnan(v[index_of(HourlyVariable::temp_c)]) ||
                          !std::isnan(v[index_of(HourlyVariable::temp_max_c)]) ||
                          !std::isnan(v[index_of(HourlyVariable::temp_min_c)]);
    if (any_temp) ++s.temp_hours;
  }
  std::vector<domain::WeatherDay> days;
  days.reserve(by_day.size());
  for (const auto& [local_day, s] : by_day) {
    domain::WeatherDay day;
    day.date = domain::Date{std::chrono::sys_days{std::chrono::days{local_day}}};
    day.wind_height_m = wind_height_m;
    // A sum needs the whole day: 23 or 25 hours on a daylight-saving change day.
    const int min_hours_sum = options.min_hours_sum + zone.hours_in_day(day.date) - 24;
    if (s.temp_hours >= options.min_hours_level) {
      const double hi = std::max(s.temp.max, s.temp_max.max);
      const double lo = std::min(s.temp.min, s.temp_min.min);
      day.tmax_c = std::isfinite(hi) ? hi : domain::kMissing;
      day.tmin_c = std::isfinite(lo) ? lo : domain::kMissing;
    }
    day.tmean_c = s.temp.mean_if(options.min_hours_level);
    day.tdew_c = s.tdew.mean_if(options.min_hours_level);
    if (s.rh.count >= options.min_hours_level && s.rh.count > 0) {
      day.rh_max_pct = s.rh.max;
      day.rh_min_pct = s.rh.min;
      day.rh_mean_pct = s.rh.sum / s.rh.count;
    }
    day.wind_m_s = s.wind.mean_if(options.min_hours_level);
    if (s.rs.count >= min_hours_sum) day.rs_mj_m2 = s.rs.sum * 3600.0 / 1.0e6;
    if (s.precip.count >= min_hours_sum) day.precip_mm = s.precip.sum;
    days.push_back(day);
  }
  return days;
}

}  // namespace evapo::core
