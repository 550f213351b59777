#include <evapo/core/atmosphere.hpp>
#include <evapo/core/daily_kernel.hpp>
#include <evapo/core/daily_reference_et.hpp>
#include <evapo/core/hargreaves.hpp>
#include <evapo/core/radiation.hpp>
#include <evapo/core/solar_geometry.hpp>
#include <evapo/core/vapour_pressure.hpp>
#include <evapo/core/wind.hpp>

namespace evapo::core {
namespace {

using domain::is_missing;

/// FAO-56 chapter 3 order of preference for ea; records which source was used.
double resolve_ea(const DailyInput& in, FlagSet& flags) {
  if (!is_missing(in.ea_kpa)) {
    flags.set(Flag::ea_given);
    return in.ea_kpa;
  }
  if (!is_missing(in.tdew_c)) {
    flags.set(Flag::ea_from_tdew);
    return actual_vapour_pressure_from_tdew(in.tdew_c);
  }
  if (!is_missing(in.rh_max_pct) && !is_missing(in.rh_min_pct)) {
    flags.set(Flag::ea_from_rh_max_min);
    return actual_vapour_pressure_from_rh_max_min(in.tmax_c, in.tmin_c, in.rh_max_pct,
                                                  in.rh_min_pct);
  }
  if (!is_missing(in.rh_max_pct)) {
    flags.set(Flag::ea_from_rh_max);
    return actual_vapour_pressure_from_rh_max(in.tmin_c, in.rh_max_pct);
  }
  if (!is_missing(in.rh_mean_pct)) {
    flags.set(Flag::ea_from_rh_mean);
    return actual_vapour_pressure_from_rh_mean(
        mean_saturation_vapour_pressure(in.tmax_c, in.tmin_c), in.rh_mean_pct);
  }
  // FAO-56 ch. 3 "Missing humidity data": Tdew ≈ Tmin.
  flags.set(Flag::ea_from_tmin);
  return actual_vapour_pressure_from_tdew(in.tmin_c);
}

double resolve_u2(double wind_m_s, double wind_height_m, FlagSet& flags) {
  if (is_missing(wind_m_s)) {
    flags.set(Flag::wind_defaulted);
    return kDefaultWindSpeed2mMS;
  }
  if (wind_height_m != 2.0) flags.set(Flag::wind_height_adjusted);
  return wind_speed_2m(wind_m_s, wind_height_m);
}

}  // namespace

EtoResult compute_daily(const DailyInput& input, const Site& site, const EtoOptions& options) {
  EtoResult result;
  Intermediates& terms = result.terms;
  if (is_missing(input.tmax_c) || is_missing(input.tmin_c)) {
    result.flags.set(Flag::missing_input);
    return result;
  }
  const double j = input.day_of_year;
  const double lat = radians(site.latitude_deg);
  terms.ra_mj_m2 = extraterrestrial_radiation_daily(lat, j, options.constants);
  terms.daylight_h =
      daylight_hours(sunset_hour_angle(lat, solar_declination(j, options.constants)));
  terms.tmean_c = 0.5 * (input.tmax_c + input.tmin_c);
  if (terms.ra_mj_m2 <= 0.0) result.flags.set(Flag::no_sun);

  if (options.method == Method::hargreaves) {
    result.eto_mm = hargreaves_eto(input.tmax_c, input.tmin_c, terms.ra_mj_m2);
    return result;
  }

  terms.pressure_kpa = atmospheric_pressure(site.elevation_m, options.constants);
  const DailySiteConstants constants =
      daily_site_constants(options.method, terms.pressure_kpa, options.constants);
  terms.gamma_kpa_c = constants.gamma_kpa_c;
  terms.ea_kpa = resolve_ea(input, result.flags);
  terms.u2_m_s = resolve_u2(input.wind_m_s, input.wind_height_m, result.flags);
  terms.rso_mj_m2 = options.rso == RsoModel::full
                        ? clear_sky_radiation_full(terms.ra_mj_m2, terms.pressure_kpa, terms.ea_kpa,
                                                   sin_sun_elevation_daily(lat, j))
                        : clear_sky_radiation_simple(terms.ra_mj_m2, site.elevation_m);

  if (!is_missing(input.rs_mj_m2)) {
    terms.rs_mj_m2 = input.rs_mj_m2;
  } else if (!is_missing(input.sunshine_h)) {
    result.flags.set(Flag::rs_from_sunshine);
    terms.rs_mj_m2 =
        solar_radiation_from_sunshine(input.sunshine_h, terms.daylight_h, terms.ra_mj_m2,
                                      options.angstrom_as, options.angstrom_bs);
  } else {
    result.flags.set(Flag::rs_from_temperature);
    terms.rs_mj_m2 =
        solar_radiation_from_temperature(input.tmax_c, input.tmin_c, terms.ra_mj_m2, options.krs);
  }

  terms.g_mj_m2 = 0.0;  // FAO-56 Eq. 42: G ≈ 0 for a day
  if (!is_missing(input.g_mj_m2)) {
    result.flags.set(Flag::g_given);
    terms.g_mj_m2 = input.g_mj_m2;
  }

  const DailyTerms t =
      daily_penman_monteith({input.tmax_c, input.tmin_c, terms.ea_kpa, terms.u2_m_s, terms.rs_mj_m2,
                             terms.rso_mj_m2, terms.g_mj_m2},
                            constants);
  terms.delta_kpa_c = t.delta_kpa_c;
  terms.es_kpa = t.es_kpa;
  terms.vpd_kpa = t.vpd_kpa;
  terms.fcd = t.fcd;
  terms.rns_mj_m2 = t.rns_mj_m2;
  terms.rnl_mj_m2 = t.rnl_mj_m2;
  terms.rn_mj_m2 = t.rn_mj_m2;
  (is_tall_reference(options.method) ? result.etr_mm : result.eto_mm) = t.et_mm;
  return result;
}

DailyInput to_daily_input(const domain::WeatherDay& day) {
  DailyInput in;
  in.day_of_year = domain::day_of_year(day.date);
  in.tmax_c = day.tmax_c;
  in.tmin_c = day.tmin_c;
  in.tdew_c = day.tdew_c;
  in.rh_max_pct = day.rh_max_pct;
  in.rh_min_pct = day.rh_min_pct;
  in.rh_mean_pct = day.rh_mean_pct;
  in.wind_m_s = day.wind_m_s;
  in.wind_height_m = day.wind_height_m;
  in.rs_mj_m2 = day.rs_mj_m2;
  return in;
}

EtoResult compute_daily(const domain::WeatherDay& day, const Site& site,
                        const EtoOptions& options) {
  return compute_daily(to_daily_input(day), site, options);
}

}  // namespace evapo::core
