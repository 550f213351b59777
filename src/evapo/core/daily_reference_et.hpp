#pragma once

#include <evapo/core/eto_result.hpp>
#include <evapo/core/options.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::core {

/// One day of weather for compute_daily(). NaN (domain::kMissing) = not measured. Units SI:
/// °C, %, kPa, m/s, m, MJ m-2 d-1, hours. Inputs must be physically valid (callers validate);
/// only tmax_c and tmin_c are required.
struct DailyInput {
  int day_of_year = 1;  // 1..366 of the local day
  double tmax_c = domain::kMissing;
  double tmin_c = domain::kMissing;
  // Humidity, used in this order (FAO-56 ch. 3): ea, Tdew, RHmax+RHmin, RHmax, RHmean, Tmin.
  double ea_kpa = domain::kMissing;
  double tdew_c = domain::kMissing;
  double rh_max_pct = domain::kMissing;
  double rh_min_pct = domain::kMissing;
  double rh_mean_pct = domain::kMissing;
  // Wind at wind_height_m; missing -> 2 m/s at 2 m (flag wind_defaulted).
  double wind_m_s = domain::kMissing;
  double wind_height_m = 2.0;
  // Radiation: rs_mj_m2, else Angström from sunshine_h (Eq. 35), else Eq. 50 from Tmax-Tmin.
  double rs_mj_m2 = domain::kMissing;
  double sunshine_h = domain::kMissing;
  // Soil heat flux; missing -> 0 (FAO-56 Eq. 42, daily).
  double g_mj_m2 = domain::kMissing;
};

/// Daily reference ET for one day at `site` with `options` (FAO-56 Eq. 6 / ASCE-EWRI 2005
/// Eq. 1 with daily Cn/Cd, or Hargreaves Eq. 52). Never throws; with tmax_c or tmin_c missing
/// the result is NaN with flag missing_input. Polar day/night give finite values.
EtoResult compute_daily(const DailyInput& input, const Site& site, const EtoOptions& options);

/// Shortcut for the pipeline: daily ETo [mm/d] for a WeatherDay (FAO-56 Eq. 6, simple Rso by
/// default), taking tmax, tmin, tdew, RH, wind (at its height), rs from `day`.
EtoResult compute_daily(const domain::WeatherDay& day, const Site& site,
                        const EtoOptions& options = {});

/// The DailyInput that compute_daily(WeatherDay, ...) uses (day of year from day.date).
DailyInput to_daily_input(const domain::WeatherDay& day);

}  // namespace evapo::core
