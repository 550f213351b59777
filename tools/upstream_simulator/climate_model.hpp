#pragma once

// A deterministic synthetic climate: plausible seasonal and latitudinal weather for any point and
// day, with per-source bias and noise, so that sources agree roughly but not exactly.

#include <cstdint>

#include <evapo/domain/date.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::sim {

/// One local day as a source would report it (SI units; wind at 10 m and at 2 m).
struct SimDay {
  double tmax_c = 0, tmin_c = 0, tmean_c = 0, tdew_c = 0;
  double rh_max_pct = 0, rh_min_pct = 0, rh_mean_pct = 0;
  double wind10_m_s = 0, wind2_m_s = 0;
  double rs_mj_m2 = 0, ra_mj_m2 = 0, precip_mm = 0, cloud_pct = 0, eto_mm = 0;
};

/// One hour as an hourly source would report it.
struct SimHour {
  double temp_c = 0, tdew_c = 0, rh_pct = 0, wind10_m_s = 0, precip_mm = 0, cloud_pct = 0;
};

/// The day `date` (local) at the point, as `source` reports it. `elevation_m` lowers the
/// temperature by 5 °C/km. Same inputs, same output.
SimDay simulate_day(double latitude_deg, double longitude_deg, double elevation_m,
                    domain::Date date, domain::SourceId source);

/// The hour starting at `utc_seconds`, consistent with simulate_day of the local day
/// (local = UTC + `utc_offset_seconds`): Tmin at 06, Tmax at 15 local time.
SimHour simulate_hour(double latitude_deg, double longitude_deg, double elevation_m,
                      std::int64_t utc_seconds, int utc_offset_seconds, domain::SourceId source);

/// FAO-56 Eq. 21: extraterrestrial radiation Ra [MJ m-2 d-1].
double extraterrestrial_radiation_mj_m2(double latitude_deg, int day_of_year);

}  // namespace evapo::sim
