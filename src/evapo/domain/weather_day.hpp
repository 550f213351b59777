#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <evapo/domain/date.hpp>

namespace evapo::domain {

/// Missing values are NaN everywhere in evapo (never 0, never -999).
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
inline bool is_missing(double value) {
  return std::isnan(value);
}

/// Stable ids of the weather sources; also their names in JSON, config and EVAPO_SOURCES.
enum class SourceId { nasa_power, open_meteo_archive, open_meteo_forecast, met_norway, nws };
inline constexpr SourceId kAllSources[] = {SourceId::nasa_power, SourceId::open_meteo_archive,
                                           SourceId::open_meteo_forecast, SourceId::met_norway,
                                           SourceId::nws};

/// One local calendar day of one source, as the source gave it, already in SI units
/// (°C, %, m/s, MJ m-2 d-1, mm). Wind is at the height the source measured it
/// (`wind_height_m`); the pipeline brings it to 2 m (FAO-56 Eq. 47).
struct WeatherDay {
  Date date{};
  double tmax_c = kMissing;
  double tmin_c = kMissing;
  double tmean_c = kMissing;
  double tdew_c = kMissing;
  double rh_max_pct = kMissing;
  double rh_min_pct = kMissing;
  double rh_mean_pct = kMissing;
  double wind_m_s = kMissing;
  double wind_height_m = 2.0;
  double rs_mj_m2 = kMissing;
  double precip_mm = kMissing;
  /// The upstream's own reference ET (Open-Meteo et0_fao_evapotranspiration): comparison only.
  double upstream_eto_mm = kMissing;
};

/// A source's answer for a point and a date range, days sorted ascending.
struct WeatherSeries {
  SourceId source = SourceId::nasa_power;
  std::vector<WeatherDay> days;
  double elevation_m = kMissing;      // of the source's grid cell, when it says
  int utc_offset_seconds = 0;         // of the local days in `days`
  std::vector<std::string> warnings;  // partial problems (e.g. "3 days missing radiation")
};

}  // namespace evapo::domain
