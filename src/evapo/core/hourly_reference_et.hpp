#pragma once

#include <span>
#include <vector>

#include <evapo/core/eto_result.hpp>
#include <evapo/core/options.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::core {

/// One hour of weather. Time is local standard time (UTC + Site::tz_offset_h); `clock_hour` is
/// the time stamp's hour of day (0..24, may have minutes as a fraction) and whether it marks the
/// end or the start of the hour is EtoOptions::timestamp. NaN = not measured.
struct HourlyInput {
  int day_of_year = 1;    // of the time stamp's local date
  double clock_hour = 0;  // e.g. 15.0 for "2015-07-01T15:00"
  double t_c = domain::kMissing;
  // Humidity in this order: ea, Tdew, RH (FAO-56 Eq. 54). None: result NaN (missing_input).
  double ea_kpa = domain::kMissing;
  double tdew_c = domain::kMissing;
  double rh_pct = domain::kMissing;
  double wind_m_s = domain::kMissing;  // missing -> 2 m/s (wind_defaulted)
  double wind_height_m = 2.0;
  double rs_mj_m2 = domain::kMissing;  // per hour; required
  double g_mj_m2 = domain::kMissing;   // missing -> 0.1 Rn day / 0.5 Rn night (tall 0.04/0.2)
};

/// Hourly reference ET for one site: FAO-56 Eq. 53 (Cd 0.34) or ASCE-EWRI 2005 Eq. 1 with
/// hourly Cn/Cd by day and night. Stateful because the cloudiness function fcd is carried
/// forward from the last hour with sun elevation >= 0.3 rad into low-sun and night hours
/// (ASCE-EWRI 2005 Eq. 45 and text), so feed hours in time order. Never throws.
class HourlyCalculator {
 public:
  HourlyCalculator(const Site& site, const EtoOptions& options);

  /// Computes the next hour. Hargreaves is daily only: the result is NaN (missing_input).
  EtoResult next(const HourlyInput& input);

  /// Forgets the carried fcd (e.g. at a gap of many hours).
  void reset();

 private:
  Site site_;
  EtoOptions options_;
  double pressure_kpa_;  // FAO-56 Eq. 7 at the site, once
  double carried_fcd_ = domain::kMissing;
};

/// Every hour of `hours` (in time order) through one HourlyCalculator.
std::vector<EtoResult> compute_hourly_series(std::span<const HourlyInput> hours, const Site& site,
                                             const EtoOptions& options);

}  // namespace evapo::core
