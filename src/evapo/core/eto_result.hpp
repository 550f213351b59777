#pragma once

#include <evapo/core/flags.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::core {

/// Every intermediate quantity of one row (daily: per day, hourly: per hour). NaN where a
/// quantity is not part of the method (e.g. Hargreaves has no humidity terms).
struct Intermediates {
  double pressure_kpa = domain::kMissing;  // P, FAO-56 Eq. 7
  double gamma_kpa_c = domain::kMissing;   // γ, FAO-56 Eq. 8
  double tmean_c = domain::kMissing;       // daily (Tmax+Tmin)/2 (Eq. 9); hourly T
  double delta_kpa_c = domain::kMissing;   // Δ at tmean, FAO-56 Eq. 13
  double es_kpa = domain::kMissing;        // FAO-56 Eq. 12 (daily) / e°(T) (hourly)
  double ea_kpa = domain::kMissing;        // source named by the ea_* flag
  double vpd_kpa = domain::kMissing;       // es - ea (daily clamped at >= 0)
  double ra_mj_m2 = domain::kMissing;      // FAO-56 Eq. 21 (daily) / Eq. 28 (hourly)
  double daylight_h = domain::kMissing;    // N, FAO-56 Eq. 34 (daily only)
  double rso_mj_m2 = domain::kMissing;     // FAO-56 Eq. 37 or ASCE-EWRI 2005 App. D
  double rs_mj_m2 = domain::kMissing;      // as given or as estimated (see rs_* flags)
  double fcd = domain::kMissing;           // cloudiness function, ASCE-EWRI 2005 Eq. 18/45
  double rns_mj_m2 = domain::kMissing;     // FAO-56 Eq. 38, albedo 0.23
  double rnl_mj_m2 = domain::kMissing;     // FAO-56 Eq. 39
  double rn_mj_m2 = domain::kMissing;      // FAO-56 Eq. 40
  double g_mj_m2 = domain::kMissing;       // soil heat flux (daily 0 unless given)
  double u2_m_s = domain::kMissing;        // wind at 2 m, FAO-56 Eq. 47
};

/// The result of one row. `eto_mm` holds the short reference (fao56, asce_short, hargreaves),
/// `etr_mm` the tall one (asce_tall); the other is NaN. Units: mm per time step (d or h).
/// Negative values are returned as computed (not clipped), like REF-ET.
struct EtoResult {
  double eto_mm = domain::kMissing;
  double etr_mm = domain::kMissing;
  Intermediates terms;
  FlagSet flags;

  /// The reference ET of the method asked for (eto_mm or etr_mm).
  double et_mm() const { return domain::is_missing(eto_mm) ? etr_mm : eto_mm; }
};

}  // namespace evapo::core
