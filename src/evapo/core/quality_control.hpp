#pragma once

// Per-source cleaning before fusion (never across sources): wind to 2 m, physical limits,
// Rs within [0.03 Ra, Ra] and not far above clear sky, stuck values, short gaps filled with
// their error variance. Pure; no I/O.

#include <array>
#include <span>
#include <vector>

#include <evapo/core/fusion_variables.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::core {

/// Plausible range of a variable; values outside become missing. Defaults: the original's
/// `GLOBAL_LIMITS_VALIDATION` (shared/reference/evaonline-data/physical_limits.csv).
struct Limit {
  double min = 0.0;
  double max = 0.0;
  bool min_inclusive = true;
  bool max_inclusive = true;
  bool contains(double x) const {
    return (min_inclusive ? x >= min : x > min) && (max_inclusive ? x <= max : x < max);
  }
};

struct PhysicalLimits {
  Limit temperature_c{-90.0, 60.0, false, false};  // Tmax, Tmin, Tdew
  Limit rh_pct{0.0, 100.0, true, true};
  Limit wind_m_s{0.0, 113.0, true, false};
  Limit precip_mm{0.0, 2000.0, true, false};
  Limit rs_mj_m2{0.0, 45.0, true, false};
  Limit upstream_eto_mm{0.0, 20.0, true, false};
};

struct QcOptions {
  PhysicalLimits limits;
  /// Longest run of missing days filled by linear interpolation between its neighbours.
  int max_gap_days = 3;
  /// Rs must lie in [rs_min_fraction_of_ra * Ra, Ra] (the original's radiation check).
  double rs_min_fraction_of_ra = 0.03;
  /// Rs may exceed clear-sky Rso (FAO-56 Eq. 37 at `elevation_m`) by at most this much: about
  /// two typical errors of a gridded daily Rs (2.5 MJ m-2). Real clear days stay a few % above.
  double rs_clear_sky_margin_mj_m2 = 5.0;
  double elevation_m = 0.0;
  /// This many consecutive days with the very same value are a stuck sensor or a fill value
  /// (not for precipitation, a saturated RHmax of 100 % or Rs of 0 in polar night).
  int stuck_run_days = 7;
};

/// What cleaning did to one day of one source.
struct DayQc {
  VariableMask rejected = 0;      // out of limits, implausible or stuck -> now missing
  VariableMask interpolated = 0;  // filled from neighbouring days of the same source
  /// Error variance a filled value adds to the source's own (units², 0 when observed).
  std::array<double, kVariableCount> fill_variance{};
};

struct QcReport {
  std::vector<DayQc> days;  // parallel to the cleaned days
  int rejected_values = 0;
  int stuck_values = 0;  // of rejected_values, those of stuck runs
  int interpolated_values = 0;
};

/// FAO-56 Eq. 47: wind speed at 2 m from speed `uz_m_s` measured at `z_m` metres.
double wind_at_2m(double uz_m_s, double z_m);

/// FAO-56 Eqs. 21-25: extraterrestrial radiation Ra [MJ m-2 d-1] on day `day_of_year` at
/// `latitude_deg`. Deviation: ωs clamped to [0, π] for polar night/day (Ra = 0 / 24 h sun).
double extraterrestrial_radiation_mj_m2(double latitude_deg, int day_of_year);

/// Cleans one source's days in place. `days` must be consecutive calendar days (a dense grid;
/// days the source did not deliver present as all-missing rows). Steps, in order: wind to 2 m
/// (wind_height_m becomes 2), physical limits -> missing, Tmax < Tmin -> both missing, RHmin >
/// RHmax -> both missing, Rs outside [0.03 Ra, Ra] or above Rso + margin -> missing, stuck runs
/// -> missing, then runs of at most max_gap_days missing days with a value on both sides filled.
///
/// A fill is the smoothed estimate of a random walk between its two observed neighbours: the
/// straight line, with the Brownian-bridge variance q·d1·d2/(d1+d2) (d1, d2 days to each
/// neighbour), q the mean squared day-to-day change of this source's own series. Precipitation
/// is never filled (rain is not continuous in time), only checked.
QcReport clean_source_days(std::span<domain::WeatherDay> days, double latitude_deg,
                           const QcOptions& options = {});

}  // namespace evapo::core
