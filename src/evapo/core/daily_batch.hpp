#pragma once

#include <cstdint>
#include <span>

#include <evapo/core/options.hpp>

namespace evapo::core {

/// Many days of one site as a structure of arrays, all spans of equal length. Complete-data
/// path only: ea from Tdew, measured Rs, wind at `wind_height_m`. A NaN input gives a NaN row
/// (use compute_daily() per row for the chapter-3 fallbacks).
struct DailyBatch {
  std::span<const std::uint16_t> day_of_year;  // 1..366
  std::span<const double> tmax_c;
  std::span<const double> tmin_c;
  std::span<const double> tdew_c;
  std::span<const double> wind_m_s;
  std::span<const double> rs_mj_m2;  // MJ m-2 d-1
  double wind_height_m = 2.0;
};

/// Writes the daily reference ET [mm/d] of every row of `batch` to `et_mm` (same length;
/// ETo, or ETr for asce_tall). Uses the same equation functions as compute_daily(); the
/// per-day-of-year solar terms are tabulated once per call. Hargreaves ignores tdew/wind/rs.
/// Rows beyond min(spans) are not written.
void compute_daily_batch(const DailyBatch& batch, const Site& site, const EtoOptions& options,
                         std::span<double> et_mm);

}  // namespace evapo::core
