// compute_daily_batch() gives exactly compute_daily()'s numbers (same equation functions).

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/core/daily_batch.hpp>
#include <evapo/core/daily_reference_et.hpp>

namespace evapo::core {
namespace {

struct Columns {
  std::vector<std::uint16_t> doy;
  std::vector<double> tmax, tmin, tdew, wind, rs;
};

Columns random_columns(std::size_t n) {
  Columns c;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    c.doy.push_back(static_cast<std::uint16_t>(1 + i % 366));
    c.tmin.push_back(-30 + 55 * unit(rng));
    c.tmax.push_back(c.tmin.back() + 20 * unit(rng));
    c.tdew.push_back(c.tmin.back() - 6 * unit(rng));
    c.wind.push_back(8 * unit(rng));
    c.rs.push_back(32 * unit(rng));
  }
  return c;
}

TEST(DailyBatch, BitIdenticalToScalarForEveryMethod) {
  const Columns c = random_columns(1003);  // not a multiple of any vector width
  const DailyBatch batch{c.doy, c.tmax, c.tmin, c.tdew, c.wind, c.rs, 3.0};
  for (const double latitude : {-45.0, 0.0, 39.46, 78.0}) {
    const Site site{.latitude_deg = latitude, .elevation_m = 850};
    for (const Method method :
         {Method::fao56, Method::asce_short, Method::asce_tall, Method::hargreaves}) {
      for (const RsoModel rso : {RsoModel::simple, RsoModel::full}) {
        for (const ConstantSet constants : {ConstantSet::standard, ConstantSet::ref_et}) {
          const EtoOptions options{.method = method, .rso = rso, .constants = constants};
          std::vector<double> et(c.doy.size());
          compute_daily_batch(batch, site, options, et);
          for (std::size_t i = 0; i < et.size(); ++i) {
            DailyInput in;
            in.day_of_year = c.doy[i];
            in.tmax_c = c.tmax[i];
            in.tmin_c = c.tmin[i];
            in.tdew_c = c.tdew[i];
            in.wind_m_s = c.wind[i];
            in.wind_height_m = 3.0;
            in.rs_mj_m2 = c.rs[i];
            ASSERT_EQ(et[i], compute_daily(in, site, options).et_mm())
                << "row " << i << " lat " << latitude;
          }
        }
      }
    }
  }
}

TEST(DailyBatch, NanRowStaysNanAndShortOutputIsRespected) {
  Columns c = random_columns(10);
  c.tdew[3] = domain::kMissing;
  const DailyBatch batch{c.doy, c.tmax, c.tmin, c.tdew, c.wind, c.rs, 2.0};
  std::vector<double> et(6, -1.0);
  compute_daily_batch(batch, {.latitude_deg = 10}, {}, et);
  EXPECT_TRUE(std::isnan(et[3]));
  EXPECT_TRUE(std::isfinite(et[5]));
}

}  // namespace
}  // namespace evapo::core
