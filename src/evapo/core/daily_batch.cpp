#include <algorithm>
#include <array>
#include <cstddef>

#include <evapo/core/atmosphere.hpp>
#include <evapo/core/daily_batch.hpp>
#include <evapo/core/daily_kernel.hpp>
#include <evapo/core/hargreaves.hpp>
#include <evapo/core/solar_geometry.hpp>
#include <evapo/core/wind.hpp>

// The hot loop is compiled for AVX-512, AVX2 and baseline x86-64 and picked at load time, so one
// binary runs everywhere and uses the widest vectors present. Floating-point contraction is off
// in ISO C++ mode, so every clone computes bit-identical results.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define EVAPO_VECTOR_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"), flatten))
#else
#define EVAPO_VECTOR_CLONES
#endif

namespace evapo::core {
namespace {

/// Ra and Rso per day of year (index 0 unused), from the same functions as compute_daily().
struct SolarTable {
  std::array<double, 367> ra_mj_m2{};
  std::array<double, 367> rso_simple_mj_m2{};
  std::array<double, 367> sin_beta24{};
};

SolarTable make_solar_table(const Site& site, ConstantSet constants) {
  SolarTable table;
  const double lat = radians(site.latitude_deg);
  for (std::size_t j = 1; j < table.ra_mj_m2.size(); ++j) {
    const auto jd = static_cast<double>(j);
    table.ra_mj_m2[j] = extraterrestrial_radiation_daily(lat, jd, constants);
    table.rso_simple_mj_m2[j] = clear_sky_radiation_simple(table.ra_mj_m2[j], site.elevation_m);
    table.sin_beta24[j] = sin_sun_elevation_daily(lat, jd);
  }
  return table;
}

/// Penman-Monteith over n rows with Rso given per row: the vectorised kernel (contiguous loads
/// only; a gather of the per-day Rso in the same loop defeats GCC's vectoriser).
EVAPO_VECTOR_CLONES
void penman_monteith_rows(std::size_t n, const double* tmax, const double* tmin, const double* tdew,
                          const double* wind, const double* rs, double wind_factor,
                          const double* rso, DailySiteConstants constants, double* et) {
  for (std::size_t i = 0; i < n; ++i) {
    const DailyRow row{
        tmax[i], tmin[i], actual_vapour_pressure_from_tdew(tdew[i]), wind[i] * wind_factor, rs[i],
        rso[i],  0.0};
    et[i] = daily_penman_monteith(row, constants).et_mm;
  }
}

/// Rows per block: the block's Rso (looked up by day of year) stays in L1.
constexpr std::size_t kBlockRows = 512;

}  // namespace

void compute_daily_batch(const DailyBatch& batch, const Site& site, const EtoOptions& options,
                         std::span<double> et_mm) {
  const std::size_t n =
      std::min({batch.day_of_year.size(), batch.tmax_c.size(), batch.tmin_c.size(), et_mm.size()});
  const SolarTable table = make_solar_table(site, options.constants);

  if (options.method == Method::hargreaves) {
    for (std::size_t i = 0; i < n; ++i) {
      et_mm[i] =
          hargreaves_eto(batch.tmax_c[i], batch.tmin_c[i], table.ra_mj_m2[batch.day_of_year[i]]);
    }
    return;
  }

  const std::size_t m =
      std::min({n, batch.tdew_c.size(), batch.wind_m_s.size(), batch.rs_mj_m2.size()});
  const double pressure_kpa = atmospheric_pressure(site.elevation_m, options.constants);
  const DailySiteConstants constants =
      daily_site_constants(options.method, pressure_kpa, options.constants);
  const double wind_factor = wind_height_factor(batch.wind_height_m);

  std::array<double, kBlockRows> rso{};
  for (std::size_t first = 0; first < m; first += kBlockRows) {
    const std::size_t rows = std::min(kBlockRows, m - first);
    for (std::size_t k = 0; k < rows; ++k) {
      const std::uint16_t j = batch.day_of_year[first + k];
      rso[k] =
          options.rso == RsoModel::simple
              ? table.rso_simple_mj_m2[j]
              : clear_sky_radiation_full(table.ra_mj_m2[j], pressure_kpa,
                                         actual_vapour_pressure_from_tdew(batch.tdew_c[first + k]),
                                         table.sin_beta24[j]);
    }
    penman_monteith_rows(rows, batch.tmax_c.data() + first, batch.tmin_c.data() + first,
                         batch.tdew_c.data() + first, batch.wind_m_s.data() + first,
                         batch.rs_mj_m2.data() + first, wind_factor, rso.data(), constants,
                         et_mm.data() + first);
  }
}

}  // namespace evapo::core
