#pragma once

// Aggregation of hourly and interval weather data (MET Norway time steps, NWS validTime
// intervals) to the local calendar days of a site's time zone, daylight saving included. Pure.

#include <cstdint>
#include <map>
#include <vector>

#include <evapo/domain/time_zone.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::core {

/// The hourly quantities the aggregation understands. Levels are instantaneous or hourly means;
/// `precip_mm` is an amount (mm fallen during the hour).
enum class HourlyVariable {
  temp_c,      // air temperature
  temp_max_c,  // a maximum temperature valid over the hour's window (NWS maxTemperature)
  temp_min_c,  // a minimum temperature valid over the hour's window (NWS minTemperature)
  tdew_c,      // dew point
  rh_pct,      // relative humidity
  wind_m_s,    // wind speed at the source's height
  rs_w_m2,     // mean global shortwave irradiance over the hour
  precip_mm,   // precipitation amount in the hour
};

/// How a value spread over several hours is shared among them.
enum class IntervalKind {
  level,    // every hour of the interval takes the value (temperature, humidity, wind)
  amount,   // the value is divided evenly among the hours (precipitation)
  extreme,  // a max/min over the interval: kept at its middle hour only, so that a window
            // crossing midnight (NWS 19:00-09:00 minimum) counts for the day it mostly covers
};

/// A value valid over [start_utc_s, start_utc_s + duration_s), as in NWS `validTime`
/// ("2022-02-03T21:00:00+00:00/PT3H") or a MET Norway `next_6_hours` block.
struct IntervalValue {
  std::int64_t start_utc_s = 0;  // Unix seconds
  std::int64_t duration_s = 3600;
  double value = domain::kMissing;
};

/// Minimum coverage for a daily statistic to count; below it the statistic is missing.
struct DailyAggregationOptions {
  int min_hours_level = 18;  // hours with data needed for Tmax/Tmin/RH/wind/dew point
  int min_hours_sum = 24;    // hours with data needed for the Rs and precipitation sums, on a
                             // 24-hour day (one less or more on a daylight-saving change day)
};

/// A table of hourly values keyed by the UTC hour they start at (a multiple of 3600 s).
/// Setting a value twice keeps the last one.
class HourlyTable {
 public:
  /// Sets `variable` for the hour containing `time_utc_s`. NaN values are ignored.
  void set(std::int64_t time_utc_s, HourlyVariable variable, double value);

  /// Expands an interval to the whole hours it covers (a partial first or last hour counts as
  /// covered) and sets each one. Amounts are split evenly; extremes set only the middle hour; NaN
  /// values and durations <= 0 are ignored.
  void add_interval(HourlyVariable variable, const IntervalValue& interval, IntervalKind kind);

  /// Number of hours holding at least one value.
  std::size_t size() const { return hours_.size(); }

  /// Aggregates to the local calendar days of `zone`, ascending; each hour goes to the local day
  /// of its start (UTC + the zone's offset in force then, so 23 or 25 hours on a daylight-saving
  /// change):
  /// Tmax/Tmin (max/min of temp_c and the window extremes), Tmean, dew point mean, RHmax/RHmin/
  /// RHmean, mean wind, Rs sum [MJ m-2 d-1] (W m-2 x 3600 s / 1e6 per hour), precipitation sum.
  /// A day appears when any hour has data; a statistic whose coverage is under `options` is NaN.
  /// `wind_height_m` is copied into each day.
  std::vector<domain::WeatherDay> to_local_days(const domain::TimeZone& zone, double wind_height_m,
                                                const DailyAggregationOptions& options = {}) const;

 private:
  static constexpr int kVariables = 8;
  struct Hour {
    double values[kVariables];
  };
  std::map<std::int64_t, Hour> hours_;
};

}  // namespace evapo::core
