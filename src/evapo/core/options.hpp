#pragma once

// Choices that select a reference-ET method and its conventions, and the site constants.

namespace evapo::core {

/// Which reference ET to compute.
enum class Method {
  fao56,       // FAO-56 Penman-Monteith: daily Eq. 6 (900/0.34), hourly Eq. 53 (37/0.34)
  asce_short,  // ASCE-EWRI 2005 standardized short (grass) ETos: daily 900/0.34, hourly
               // 37/0.24|0.96
  asce_tall,   // ASCE-EWRI 2005 standardized tall (alfalfa) ETrs: daily 1600/0.38, hourly
               // 66/0.25|1.7
  hargreaves,  // FAO-56 Eq. 52 (Hargreaves-Samani), temperature and Ra only; daily only
};

/// Clear-sky solar radiation model.
enum class RsoModel {
  simple,  // FAO-56 Eq. 37 = ASCE-EWRI 2005 Eq. 19: (0.75 + 2e-5 z) Ra
  full,    // ASCE-EWRI 2005 Appendix D (Eqs. D.1-D.8): beam + diffuse with turbidity and water
};

/// What an hourly time stamp marks.
enum class TimestampConvention {
  period_end,    // "15:00" is the hour 14:00-15:00 (AgriMet, REF-ET, FAO-56 Example 19)
  period_start,  // "15:00" is the hour 15:00-16:00
};

/// Which printed constants to use where the standards and the REF-ET program differ.
enum class ConstantSet {
  standard,  // as printed in FAO-56 / ASCE-EWRI 2005: δ = 0.409 sin(2πJ/365 - 1.39) (Eq. 24),
             // Gsc = 0.0820 MJ m-2 min-1, P exponent 5.26 (Eq. 7)
  ref_et,    // REF-ET 4.x (Univ. of Idaho): δ = 23.45° sin(2π(284 + J)/365) (Duffie & Beckman),
             // Gsc = 1367 W m-2, P exponent 9.8/(0.0065 x 286.9); reproduces its output files
};

/// A method with its conventions. Defaults: FAO-56, simple Rso, hour stamps at the period end,
/// the constants as printed.
struct EtoOptions {
  Method method = Method::fao56;
  RsoModel rso = RsoModel::simple;
  TimestampConvention timestamp = TimestampConvention::period_end;
  ConstantSet constants = ConstantSet::standard;
  double krs = 0.16;          // FAO-56 Eq. 50 adjustment coefficient: 0.16 inland, 0.19 coastal
  double angstrom_as = 0.25;  // FAO-56 Eq. 35 regression constants (defaults of the text)
  double angstrom_bs = 0.50;
};

/// Constants of one station. Longitude and tz offset matter only for hourly steps.
struct Site {
  double latitude_deg = 0.0;   // [-90, 90], north positive
  double longitude_deg = 0.0;  // [-180, 180], east positive
  double elevation_m = 0.0;    // above sea level
  double tz_offset_h = 0.0;    // local standard time = UTC + tz_offset_h (e.g. -8 for PST)
};

/// True when `method` computes the tall (alfalfa) reference ETr rather than the short ETo.
constexpr bool is_tall_reference(Method method) {
  return method == Method::asce_tall;
}

}  // namespace evapo::core
