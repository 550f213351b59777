#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <evapo/domain/date.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::io {

/// Whether a station file holds one row per day or one per hour.
enum class Timestep { daily, hourly };

/// One validated row of a station file, in SI units; a value the file left empty is
/// domain::kMissing (NaN). Site values come from the row's own column, else from the defaults
/// given to the reader (the CLI flags).
struct StationRow {
  std::size_t line = 0;             // where the row starts in the file (1-based)
  std::vector<std::string> fields;  // every field as read, in header order (for pass-through)

  domain::Date date{};    // daily: `date`; hourly: the calendar day of `datetime`
  int minute_of_day = 0;  // hourly: HH*60+MM of `datetime` (local standard time); daily: 0

  double tmax_c = domain::kMissing;
  double tmin_c = domain::kMissing;
  double tmean_c = domain::kMissing;
  double t_c = domain::kMissing;  // hourly mean air temperature
  double tdew_c = domain::kMissing;
  double ea_kpa = domain::kMissing;
  double rh_max_pct = domain::kMissing;
  double rh_min_pct = domain::kMissing;
  double rh_mean_pct = domain::kMissing;
  double rh_pct = domain::kMissing;    // hourly relative humidity
  double rs_mj_m2 = domain::kMissing;  // per day (daily) or per hour (hourly)
  double sunshine_h = domain::kMissing;
  double wind_m_s = domain::kMissing;
  double g_mj_m2 = domain::kMissing;

  double latitude_deg = domain::kMissing;
  double longitude_deg = domain::kMissing;  // east positive
  double elevation_m = domain::kMissing;
  double wind_height_m = domain::kMissing;
  double tz_offset_h = domain::kMissing;  // local standard time minus UTC, hours
};

}  // namespace evapo::io
