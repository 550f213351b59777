// compute_daily(): the FAO-56 chapter 3 missing-data paths, each flagged; methods; polar rows.

#include <cmath>

#include <gtest/gtest.h>

#include <evapo/core/daily_reference_et.hpp>
#include <evapo/core/vapour_pressure.hpp>

namespace evapo::core {
namespace {

DailyInput brussels() {  // FAO-56 Example 18 without sunshine
  DailyInput in;
  in.day_of_year = 187;
  in.tmax_c = 21.5;
  in.tmin_c = 12.3;
  in.rs_mj_m2 = 22.07;
  in.wind_m_s = 2.078;
  return in;
}
constexpr Site kBrussels{.latitude_deg = 50.8, .elevation_m = 100};

struct HumidityCase {
  const char* name;
  double ea_kpa, tdew_c, rh_max_pct, rh_min_pct, rh_mean_pct;
  Flag flag;
  double expected_ea_kpa;
};

TEST(DailyReferenceEt, HumidityFallbackOrderIsFlagged) {
  const double e_tmin = saturation_vapour_pressure(12.3);
  const double e_tmax = saturation_vapour_pressure(21.5);
  const double nan = domain::kMissing;
  const HumidityCase cases[] = {
      {"ea wins", 1.2, 10.0, 84, 63, 70, Flag::ea_given, 1.2},
      {"tdew next", nan, 10.0, 84, 63, 70, Flag::ea_from_tdew, saturation_vapour_pressure(10.0)},
      {"rh max/min", nan, nan, 84, 63, 70, Flag::ea_from_rh_max_min,
       0.5 * (e_tmin * 0.84 + e_tmax * 0.63)},
      {"rh max only", nan, nan, 84, nan, 70, Flag::ea_from_rh_max, e_tmin * 0.84},
      {"rh mean", nan, nan, nan, 63, 70, Flag::ea_from_rh_mean, 0.70 * 0.5 * (e_tmin + e_tmax)},
      {"nothing: Tdew = Tmin", nan, nan, nan, nan, nan, Flag::ea_from_tmin, e_tmin},
  };
  for (const HumidityCase& c : cases) {
    DailyInput in = brussels();
    in.ea_kpa = c.ea_kpa;
    in.tdew_c = c.tdew_c;
    in.rh_max_pct = c.rh_max_pct;
    in.rh_min_pct = c.rh_min_pct;
    in.rh_mean_pct = c.rh_mean_pct;
    const EtoResult r = compute_daily(in, kBrussels, {});
    EXPECT_TRUE(r.flags.has(c.flag)) << c.name << ": " << join_flags(r.flags);
    EXPECT_DOUBLE_EQ(r.terms.ea_kpa, c.expected_ea_kpa) << c.name;
    EXPECT_TRUE(std::isfinite(r.eto_mm)) << c.name;
  }
}

TEST(DailyReferenceEt, RadiationAndWindFallbacksAreFlagged) {
  DailyInput in = brussels();
  in.rh_max_pct = 84;
  in.rh_min_pct = 63;
  EXPECT_TRUE(compute_daily(in, kBrussels, {}).flags.empty() == false);

  in.rs_mj_m2 = domain::kMissing;
  in.sunshine_h = 9.25;
  const EtoResult sunshine = compute_daily(in, kBrussels, {});
  EXPECT_TRUE(sunshine.flags.has(Flag::rs_from_sunshine));
  EXPECT_NEAR(sunshine.terms.rs_mj_m2, 22.07, 0.005);  // Example 18

  in.sunshine_h = domain::kMissing;
  const EtoResult temperature = compute_daily(in, kBrussels, {.krs = 0.19});
  EXPECT_TRUE(temperature.flags.has(Flag::rs_from_temperature));
  EXPECT_DOUBLE_EQ(temperature.terms.rs_mj_m2,
                   0.19 * std::sqrt(21.5 - 12.3) * temperature.terms.ra_mj_m2);

  in.wind_m_s = domain::kMissing;
  const EtoResult calm = compute_daily(in, kBrussels, {});
  EXPECT_TRUE(calm.flags.has(Flag::wind_defaulted));
  EXPECT_EQ(calm.terms.u2_m_s, 2.0);
}

TEST(DailyReferenceEt, MethodsSelectCoefficientsAndOutputColumn) {
  DailyInput in = brussels();
  in.tdew_c = 10;
  const EtoResult fao = compute_daily(in, kBrussels, {.method = Method::fao56});
  const EtoResult asce_short = compute_daily(in, kBrussels, {.method = Method::asce_short});
  const EtoResult tall = compute_daily(in, kBrussels, {.method = Method::asce_tall});
  EXPECT_TRUE(std::isnan(fao.etr_mm));
  EXPECT_TRUE(std::isnan(tall.eto_mm));
  EXPECT_GT(tall.etr_mm, fao.eto_mm);                 // alfalfa uses more water than grass
  EXPECT_NEAR(asce_short.eto_mm, fao.eto_mm, 0.001);  // 900/0.34 both; σ differs in the 4th digit
  EXPECT_EQ(tall.et_mm(), tall.etr_mm);
  const EtoResult full = compute_daily(in, kBrussels, {.rso = RsoModel::full});
  EXPECT_NE(full.terms.rso_mj_m2, fao.terms.rso_mj_m2);
  EXPECT_LT(full.terms.rso_mj_m2, full.terms.ra_mj_m2);
}

TEST(DailyReferenceEt, MissingTemperatureGivesNanAndFlag) {
  DailyInput in = brussels();
  in.tmax_c = domain::kMissing;
  const EtoResult r = compute_daily(in, kBrussels, {});
  EXPECT_TRUE(std::isnan(r.eto_mm));
  EXPECT_TRUE(r.flags.has(Flag::missing_input));
}

TEST(DailyReferenceEt, PolarDayAndNightAreFinite) {
  for (const double latitude : {-90.0, -80.0, -66.6, 70.0, 80.0, 90.0}) {
    for (const int doy : {1, 80, 172, 266, 355}) {
      DailyInput in;
      in.day_of_year = doy;
      in.tmax_c = -5;
      in.tmin_c = -20;
      for (const Method method :
           {Method::fao56, Method::asce_short, Method::asce_tall, Method::hargreaves}) {
        for (const RsoModel rso : {RsoModel::simple, RsoModel::full}) {
          const EtoResult r =
              compute_daily(in, {.latitude_deg = latitude}, {.method = method, .rso = rso});
          EXPECT_TRUE(std::isfinite(r.et_mm())) << latitude << " " << doy;
          EXPECT_TRUE(std::isfinite(r.terms.ra_mj_m2)) << latitude << " " << doy;
        }
      }
    }
  }
  DailyInput night;
  night.day_of_year = 355;
  night.tmax_c = -10;
  night.tmin_c = -20;
  EXPECT_TRUE(compute_daily(night, {.latitude_deg = 80}, {}).flags.has(Flag::no_sun));
}

TEST(DailyReferenceEt, WeatherDayOverloadUsesItsFields) {
  domain::WeatherDay day;
  day.date = domain::Date{std::chrono::year{2015}, std::chrono::July, std::chrono::day{6}};
  day.tmax_c = 21.5;
  day.tmin_c = 12.3;
  day.rh_max_pct = 84;
  day.rh_min_pct = 63;
  day.wind_m_s = 10 / 3.6;
  day.wind_height_m = 10;
  day.rs_mj_m2 = 22.07;
  const EtoResult r = compute_daily(day, kBrussels);
  EXPECT_NEAR(r.eto_mm, 3.88, 0.005);  // FAO-56 Example 18
  EXPECT_EQ(to_daily_input(day).day_of_year, 187);
}

}  // namespace
}  // namespace evapo::core
