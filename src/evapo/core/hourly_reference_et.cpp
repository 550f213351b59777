#include <cmath>

#include <evapo/core/atmosphere.hpp>
#include <evapo/core/hourly_reference_et.hpp>
#include <evapo/core/penman_monteith.hpp>
#include <evapo/core/radiation.hpp>
#include <evapo/core/solar_geometry.hpp>
#include <evapo/core/vapour_pressure.hpp>
#include <evapo/core/wind.hpp>

namespace evapo::core {
namespace {

using domain::is_missing;

/// ASCE-EWRI 2005 (text after Eq. 45): fcd is computed only while the sun is at least 0.3 rad
/// above the horizon; below that it is carried forward.
constexpr double kMinSunElevationForFcdRad = 0.3;

/// When, relative to the midpoint of the hour [h], the sun elevation of the fcd test is taken:
/// the midpoint by the text; REF-ET takes the start of the period (its IN2 files; RefET's
/// 'refet' method does the same), which its Fallon hourly output confirms.
constexpr double fcd_test_time_offset_h(ConstantSet constants) {
  return constants == ConstantSet::ref_et ? -0.5 : 0.0;
}

}  // namespace

HourlyCalculator::HourlyCalculator(const Site& site, const EtoOptions& options)
    : site_(site),
      options_(options),
      pressure_kpa_(atmospheric_pressure(site.elevation_m, options.constants)) {}

void HourlyCalculator::reset() {
  carried_fcd_ = domain::kMissing;
}

EtoResult HourlyCalculator::next(const HourlyInput& input) {
  EtoResult result;
  Intermediates& terms = result.terms;
  const bool has_humidity =
      !is_missing(input.ea_kpa) || !is_missing(input.tdew_c) || !is_missing(input.rh_pct);
  if (options_.method == Method::hargreaves || is_missing(input.t_c) ||
      is_missing(input.rs_mj_m2) || !has_humidity) {
    result.flags.set(Flag::missing_input);
    return result;
  }

  terms.tmean_c = input.t_c;
  terms.pressure_kpa = pressure_kpa_;
  terms.gamma_kpa_c = psychrometric_constant(terms.pressure_kpa);
  terms.delta_kpa_c = slope_vapour_pressure_curve(input.t_c);
  terms.es_kpa = saturation_vapour_pressure(input.t_c);
  if (!is_missing(input.ea_kpa)) {
    result.flags.set(Flag::ea_given);
    terms.ea_kpa = input.ea_kpa;
  } else if (!is_missing(input.tdew_c)) {
    result.flags.set(Flag::ea_from_tdew);
    terms.ea_kpa = actual_vapour_pressure_from_tdew(input.tdew_c);
  } else {
    result.flags.set(Flag::ea_from_rh_mean);
    terms.ea_kpa = actual_vapour_pressure_hourly(input.t_c, input.rh_pct);
  }
  terms.vpd_kpa = vapour_pressure_deficit(terms.es_kpa, terms.ea_kpa);

  if (is_missing(input.wind_m_s)) {
    result.flags.set(Flag::wind_defaulted);
    terms.u2_m_s = kDefaultWindSpeed2mMS;
  } else {
    if (input.wind_height_m != 2.0) result.flags.set(Flag::wind_height_adjusted);
    terms.u2_m_s = wind_speed_2m(input.wind_m_s, input.wind_height_m);
  }

  // Solar geometry at the midpoint of the hour (FAO-56 Eqs. 28-33).
  const double t_mid =
      input.clock_hour + (options_.timestamp == TimestampConvention::period_end ? -0.5 : 0.5);
  const double j = input.day_of_year;
  const double lat = radians(site_.latitude_deg);
  const double delta = solar_declination(j, options_.constants);
  const double ws = sunset_hour_angle(lat, delta);
  const double omega =
      solar_time_angle(t_mid, site_.longitude_deg, site_.tz_offset_h, seasonal_correction(j));
  terms.ra_mj_m2 =
      extraterrestrial_radiation_hourly(lat, j, hour_angles(omega, ws), options_.constants);
  const double sin_beta = sin_sun_elevation(lat, delta, omega);
  if (terms.ra_mj_m2 <= 0.0) result.flags.set(Flag::no_sun);
  if (options_.rso == RsoModel::full) {
    terms.rso_mj_m2 =
        terms.ra_mj_m2 > 0.0
            ? clear_sky_radiation_full(terms.ra_mj_m2, terms.pressure_kpa, terms.ea_kpa, sin_beta)
            : 0.0;
  } else {
    terms.rso_mj_m2 = clear_sky_radiation_simple(terms.ra_mj_m2, site_.elevation_m);
  }
  terms.rs_mj_m2 = input.rs_mj_m2;

  const double offset_h = fcd_test_time_offset_h(options_.constants);
  const double sin_beta_test =
      offset_h == 0.0
          ? sin_beta
          : sin_sun_elevation(lat, delta,
                              solar_time_angle(t_mid + offset_h, site_.longitude_deg,
                                               site_.tz_offset_h, seasonal_correction(j)));
  if (sin_beta_test >= std::sin(kMinSunElevationForFcdRad) && terms.rso_mj_m2 > 0.0) {
    terms.fcd = cloudiness_function(terms.rs_mj_m2, terms.rso_mj_m2);
    carried_fcd_ = terms.fcd;
  } else if (!is_missing(carried_fcd_)) {
    result.flags.set(Flag::fcd_carried_forward);
    terms.fcd = carried_fcd_;
  } else {
    result.flags.set(Flag::fcd_default);
    terms.fcd = 1.0;
  }

  const double sigma = options_.method == Method::fao56 ? kSigmaFao56Hour : kSigmaAsceHour;
  terms.rns_mj_m2 = net_shortwave_radiation(terms.rs_mj_m2);
  terms.rnl_mj_m2 = net_longwave_radiation_hourly(input.t_c, terms.ea_kpa, terms.fcd, sigma);
  terms.rn_mj_m2 = net_radiation(terms.rns_mj_m2, terms.rnl_mj_m2);
  const DayPeriod period = terms.rn_mj_m2 < 0.0 ? DayPeriod::night : DayPeriod::day;
  if (period == DayPeriod::night) result.flags.set(Flag::night);
  if (!is_missing(input.g_mj_m2)) {
    result.flags.set(Flag::g_given);
    terms.g_mj_m2 = input.g_mj_m2;
  } else {
    terms.g_mj_m2 = soil_heat_flux_hourly(terms.rn_mj_m2, options_.method, period);
  }

  const double et = penman_monteith(
      terms.delta_kpa_c, terms.gamma_kpa_c, terms.rn_mj_m2, terms.g_mj_m2, input.t_c, terms.u2_m_s,
      terms.vpd_kpa, hourly_coefficients(options_.method, period, options_.constants),
      aerodynamic_kelvin_offset(options_.constants));
  (is_tall_reference(options_.method) ? result.etr_mm : result.eto_mm) = et;
  return result;
}

std::vector<EtoResult> compute_hourly_series(std::span<const HourlyInput> hours, const Site& site,
                                             const EtoOptions& options) {
  HourlyCalculator calculator(site, options);
  std::vector<EtoResult> results;
  results.reserve(hours.size());
  for (const HourlyInput& hour : hours) results.push_back(calculator.next(hour));
  return results;
}

}  // namespace evapo::core
