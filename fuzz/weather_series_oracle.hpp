#pragma once

// What every weather-source body parser promises about a series it accepts, checked by the
// parser fuzzers: days strictly ascending (one per date), inside the asked range when there is
// one, every value a number or missing (never infinite), wind heights positive.

#include <cmath>
#include <cstdlib>
#include <optional>

#include <evapo/domain/date.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::fuzz {

inline bool number_or_missing(double value) {
  return std::isnan(value) || std::isfinite(value);
}

inline void check_series(const domain::WeatherSeries& series,
                         std::optional<domain::Date> start = std::nullopt,
                         std::optional<domain::Date> end = std::nullopt) {
  if (!number_or_missing(series.elevation_m)) std::abort();
  if (series.utc_offset_seconds < -18 * 3600 || series.utc_offset_seconds > 18 * 3600) std::abort();
  for (std::size_t i = 0; i < series.days.size(); ++i) {
    const auto& day = series.days[i];
    if (i > 0 && !(series.days[i - 1].date < day.date)) std::abort();
    if (start && day.date < *start) std::abort();
    if (end && *end < day.date) std::abort();
    for (const double value :
         {day.tmax_c, day.tmin_c, day.tmean_c, day.tdew_c, day.rh_max_pct, day.rh_min_pct,
          day.rh_mean_pct, day.wind_m_s, day.rs_mj_m2, day.precip_mm, day.upstream_eto_mm}) {
      if (!number_or_missing(value)) std::abort();
    }
    if (!(day.wind_height_m > 0.0) || !std::isfinite(day.wind_height_m)) std::abort();
  }
}

}  // namespace evapo::fuzz
