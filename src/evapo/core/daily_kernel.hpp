#pragma once

// The daily Penman-Monteith row, shared by compute_daily() (one row, every intermediate kept)
// and compute_daily_batch() (millions of rows, only ET kept): one composition of the equation
// functions, so both paths give bit-identical results.

#include <evapo/core/atmosphere.hpp>
#include <evapo/core/options.hpp>
#include <evapo/core/penman_monteith.hpp>
#include <evapo/core/radiation.hpp>
#include <evapo/core/vapour_pressure.hpp>

namespace evapo::core {

/// Per-site, per-method constants of the daily equation.
struct DailySiteConstants {
  double gamma_kpa_c = 0.0;
  SurfaceCoefficients coefficients;
  double sigma = kSigmaFao56Day;  // FAO-56 Eq. 39 or ASCE-EWRI 2005 Eq. 17
  double kelvin_offset = 273.0;   // of the aerodynamic term
};

/// Builds the constants for `method` at pressure P [kPa].
constexpr DailySiteConstants daily_site_constants(Method method, double pressure_kpa,
                                                  ConstantSet constants = ConstantSet::standard) {
  return {psychrometric_constant(pressure_kpa), daily_coefficients(method),
          method == Method::fao56 ? kSigmaFao56Day : kSigmaAsceDay,
          aerodynamic_kelvin_offset(constants)};
}

/// The inputs of one row once the fallbacks are resolved.
struct DailyRow {
  double tmax_c;
  double tmin_c;
  double ea_kpa;
  double u2_m_s;
  double rs_mj_m2;
  double rso_mj_m2;
  double g_mj_m2;
};

/// Every term of one row.
struct DailyTerms {
  double tmean_c;
  double delta_kpa_c;
  double es_kpa;
  double vpd_kpa;
  double fcd;
  double rns_mj_m2;
  double rnl_mj_m2;
  double rn_mj_m2;
  double et_mm;
};

/// FAO-56 Eq. 6 / ASCE-EWRI 2005 Eq. 1 for one day, through Eqs. 9, 12, 13, 38, 39, 40.
inline DailyTerms daily_penman_monteith(const DailyRow& row, const DailySiteConstants& site) {
  DailyTerms t{};
  t.tmean_c = 0.5 * (row.tmax_c + row.tmin_c);  // FAO-56 Eq. 9
  t.delta_kpa_c = slope_vapour_pressure_curve(t.tmean_c);
  t.es_kpa = mean_saturation_vapour_pressure(row.tmax_c, row.tmin_c);
  t.vpd_kpa = vapour_pressure_deficit(t.es_kpa, row.ea_kpa);
  t.fcd = cloudiness_function(row.rs_mj_m2, row.rso_mj_m2);
  t.rns_mj_m2 = net_shortwave_radiation(row.rs_mj_m2);
  t.rnl_mj_m2 = net_longwave_radiation_daily(row.tmax_c, row.tmin_c, row.ea_kpa, t.fcd, site.sigma);
  t.rn_mj_m2 = net_radiation(t.rns_mj_m2, t.rnl_mj_m2);
  t.et_mm = penman_monteith(t.delta_kpa_c, site.gamma_kpa_c, t.rn_mj_m2, row.g_mj_m2, t.tmean_c,
                            row.u2_m_s, t.vpd_kpa, site.coefficients, site.kelvin_offset);
  return t;
}

}  // namespace evapo::core
