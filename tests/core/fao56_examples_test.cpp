// FAO-56 worked examples (Allen et al. 1998, chapters 3 and 4): every intermediate printed in
// the book, checked at the book's printed precision (half a unit of the last printed digit).
// Values as transcribed in shared/reference/eto-conventions.md section 4, pyet
// tests/testfao56.py and the fao56 package's test/test_chap3.py.

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/core/atmosphere.hpp>
#include <evapo/core/daily_reference_et.hpp>
#include <evapo/core/hourly_reference_et.hpp>

namespace evapo::core {
namespace {

/// A printed value with its number of decimals.
struct Printed {
  const char* name;
  double ours;
  double book;
  int decimals;
};

void expect_printed(const std::vector<Printed>& values) {
  for (const Printed& v : values) {
    // Half a unit of the last digit, plus 1e-9 for values the book rounds exactly at the half.
    const double half_unit = 0.5 * std::pow(10.0, -v.decimals) + 1e-9;
    EXPECT_NEAR(v.ours, v.book, half_unit) << v.name;
  }
}

constexpr double kDegPerMinute = 1.0 / 60.0;

// Example 17: Bangkok, April (monthly means), 13°44'N, 2 m; ea given, sunshine 8.5 h, u2 2 m/s,
// G = 0.14 (from the monthly temperatures, Eq. 43).
TEST(Fao56Examples, Example17BangkokMonthly) {
  DailyInput in;
  in.day_of_year = 105;  // 15 April
  in.tmax_c = 34.8;
  in.tmin_c = 25.6;
  in.ea_kpa = 2.85;
  in.wind_m_s = 2.0;
  in.sunshine_h = 8.5;
  in.g_mj_m2 = 0.14;
  const EtoResult r =
      compute_daily(in, {.latitude_deg = 13 + 44 * kDegPerMinute, .elevation_m = 2}, {});
  const Intermediates& t = r.terms;
  // The book computes γ from P rounded to 101.3 (0.06736); from P = 101.28 it is 0.06735.
  expect_printed({{"P", t.pressure_kpa, 101.3, 1},
                  {"gamma", psychrometric_constant(101.3), 0.0674, 4},
                  {"gamma", t.gamma_kpa_c, 0.0674, 3},
                  {"Tmean", t.tmean_c, 30.2, 1},
                  {"delta", t.delta_kpa_c, 0.246, 3},
                  {"es", t.es_kpa, 4.42, 2},
                  {"vpd", t.vpd_kpa, 1.57, 2},
                  {"Ra", t.ra_mj_m2, 38.06, 2},
                  {"N", t.daylight_h, 12.31, 2},
                  {"Rs", t.rs_mj_m2, 22.65, 2},
                  {"Rso", t.rso_mj_m2, 28.54, 2},
                  {"Rns", t.rns_mj_m2, 17.44, 2},
                  {"Rnl", t.rnl_mj_m2, 3.11, 2},
                  {"Rn", t.rn_mj_m2, 14.33, 2},
                  {"G", t.g_mj_m2, 0.14, 2},
                  {"ETo", r.eto_mm, 5.72, 2}});
  EXPECT_TRUE(r.flags.has(Flag::ea_given));
  EXPECT_TRUE(r.flags.has(Flag::rs_from_sunshine));
  EXPECT_TRUE(r.flags.has(Flag::g_given));
}

// Example 18: Uccle (Brussels), 6 July, 50°48'N, 100 m; wind 10 km/h at 10 m, sunshine 9.25 h.
TEST(Fao56Examples, Example18BrusselsDaily) {
  DailyInput in;
  in.day_of_year = 187;
  in.tmax_c = 21.5;
  in.tmin_c = 12.3;
  in.rh_max_pct = 84;
  in.rh_min_pct = 63;
  in.wind_m_s = 10.0 / 3.6;
  in.wind_height_m = 10.0;
  in.sunshine_h = 9.25;
  const EtoResult r =
      compute_daily(in, {.latitude_deg = 50 + 48 * kDegPerMinute, .elevation_m = 100}, {});
  const Intermediates& t = r.terms;
  expect_printed({{"u2", t.u2_m_s, 2.078, 3},
                  {"P", t.pressure_kpa, 100.1, 1},
                  {"gamma", t.gamma_kpa_c, 0.0666, 4},
                  {"Tmean", t.tmean_c, 16.9, 1},
                  {"delta", t.delta_kpa_c, 0.122, 3},
                  {"es", t.es_kpa, 1.997, 3},
                  {"ea", t.ea_kpa, 1.409, 3},
                  {"vpd", t.vpd_kpa, 0.589, 3},
                  {"Ra", t.ra_mj_m2, 41.09, 2},
                  {"N", t.daylight_h, 16.1, 1},
                  {"Rs", t.rs_mj_m2, 22.07, 2},
                  {"Rso", t.rso_mj_m2, 30.90, 2},
                  {"Rns", t.rns_mj_m2, 17.00, 2},
                  {"Rnl", t.rnl_mj_m2, 3.71, 2},
                  {"Rn", t.rn_mj_m2, 13.28, 2},
                  {"ETo", r.eto_mm, 3.88, 2}});
  EXPECT_TRUE(r.flags.has(Flag::ea_from_rh_max_min));
  EXPECT_TRUE(r.flags.has(Flag::wind_height_adjusted));
}

// Example 19: N'Diaye (Senegal), 1 October, the hour 14:00-15:00; 16°13'N, 16°15'W, 8 m; the
// time zone centre Lz = 15°W (UTC-1); G measured 0.175.
TEST(Fao56Examples, Example19NDiayeHourly) {
  HourlyInput in;
  in.day_of_year = 274;
  in.clock_hour = 15.0;  // end of the hour 14:00-15:00
  in.t_c = 38;
  in.rh_pct = 52;
  in.wind_m_s = 3.3;
  in.rs_mj_m2 = 2.450;
  in.g_mj_m2 = 0.175;
  HourlyCalculator calculator({.latitude_deg = 16 + 13 * kDegPerMinute,
                               .longitude_deg = -(16 + 15 * kDegPerMinute),
                               .elevation_m = 8,
                               .tz_offset_h = -1},
                              {});
  const EtoResult r = calculator.next(in);
  const Intermediates& t = r.terms;
  expect_printed({{"P", t.pressure_kpa, 101.2, 1},
                  {"gamma", t.gamma_kpa_c, 0.0673, 4},
                  {"delta", t.delta_kpa_c, 0.358, 3},
                  {"es", t.es_kpa, 6.625, 3},
                  {"ea", t.ea_kpa, 3.445, 3},
                  {"vpd", t.vpd_kpa, 3.180, 3},
                  {"Ra", t.ra_mj_m2, 3.543, 3},
                  {"Rso", t.rso_mj_m2, 2.658, 3},
                  {"Rns", t.rns_mj_m2, 1.887, 3},
                  {"Rnl", t.rnl_mj_m2, 0.137, 3},
                  {"Rn", t.rn_mj_m2, 1.749, 3},
                  {"ETo", r.eto_mm, 0.63, 2}});
  EXPECT_FALSE(r.flags.has(Flag::night));
}

// Examples 10-12 (Rio de Janeiro, May, 22°54'S): Rs from 220 h of sunshine a month (7.1 h/d),
// Rnl and Rn with ea 2.1 kPa, Tmax 25.1, Tmin 19.1.
TEST(Fao56Examples, Examples10To12RioSunshineRnlRn) {
  DailyInput in;
  in.day_of_year = 135;
  in.tmax_c = 25.1;
  in.tmin_c = 19.1;
  in.ea_kpa = 2.1;
  in.sunshine_h = 7.1;
  const EtoResult r = compute_daily(in, {.latitude_deg = -(22 + 54 * kDegPerMinute)}, {});
  const Intermediates& t = r.terms;
  expect_printed({{"Ra", t.ra_mj_m2, 25.1, 1},
                  {"N", t.daylight_h, 10.9, 1},
                  {"Rs", t.rs_mj_m2, 14.5, 1},
                  {"Rso", t.rso_mj_m2, 18.8, 1},
                  {"Rnl", t.rnl_mj_m2, 3.5, 1},
                  {"Rns", t.rns_mj_m2, 11.1, 1},
                  {"Rn", t.rn_mj_m2, 7.6, 1}});
}

// Examples 8-9: 3 September (J = 246) at 20°S: Ra 32.2 MJ m-2 d-1, N 11.7 h.
TEST(Fao56Examples, Examples8And9RaAndDaylight) {
  DailyInput in;
  in.day_of_year = 246;
  in.tmax_c = 25;
  in.tmin_c = 15;
  const EtoResult r = compute_daily(in, {.latitude_deg = -20}, {});
  expect_printed({{"Ra", r.terms.ra_mj_m2, 32.2, 1}, {"N", r.terms.daylight_h, 11.7, 1}});
}

// Example 15 and Eq. 52: Lyon, 15 July, 45°43'N, 200 m, Tmax 26.6, Tmin 14.8: Ra 40.6,
// Rs from the temperature range 22.3; Hargreaves ETo 5.0 (pyet tests/testalternative.py).
TEST(Fao56Examples, Example15LyonRsFromTemperatureAndHargreaves) {
  DailyInput in;
  in.day_of_year = 196;
  in.tmax_c = 26.6;
  in.tmin_c = 14.8;
  const Site lyon{.latitude_deg = 45 + 43 * kDegPerMinute, .elevation_m = 200};
  const EtoResult pm = compute_daily(in, lyon, {});
  expect_printed({{"Ra", pm.terms.ra_mj_m2, 40.6, 1}, {"Rs", pm.terms.rs_mj_m2, 22.3, 1}});
  EXPECT_TRUE(pm.flags.has(Flag::rs_from_temperature));
  EXPECT_TRUE(pm.flags.has(Flag::ea_from_tmin));
  EXPECT_TRUE(pm.flags.has(Flag::wind_defaulted));
  const EtoResult hs = compute_daily(in, lyon, {.method = Method::hargreaves});
  expect_printed({{"ETo Hargreaves", hs.eto_mm, 5.0, 1}});
}

}  // namespace
}  // namespace evapo::core
