#pragma once

// The daily weather variables that are cleaned, fused and fed to the ETo engine, and uniform
// access to them in a domain::WeatherDay.

#include <array>
#include <string_view>

#include <evapo/domain/weather_day.hpp>

namespace evapo::core {

/// Fused variables. Wind is fused at 2 m (`u2_m_s` is WeatherDay::wind_m_s once the height
/// is adjusted by FAO-56 Eq. 47).
enum class Variable {
  tmax_c,
  tmin_c,
  tdew_c,
  rh_max_pct,
  rh_min_pct,
  rh_mean_pct,
  u2_m_s,
  rs_mj_m2,
  precip_mm
};
inline constexpr int kVariableCount = 9;
inline constexpr std::array<Variable, kVariableCount> kVariables = {
    Variable::tmax_c,     Variable::tmin_c,     Variable::tdew_c,
    Variable::rh_max_pct, Variable::rh_min_pct, Variable::rh_mean_pct,
    Variable::u2_m_s,     Variable::rs_mj_m2,   Variable::precip_mm};

/// Index 0..kVariableCount-1 of a variable.
constexpr int index_of(Variable v) {
  return static_cast<int>(v);
}

/// Stable name, the same as the WeatherDay / result field ("tmax_c", "u2_m_s", ...).
constexpr std::string_view to_string(Variable v) {
  constexpr std::array<std::string_view, kVariableCount> kNames = {
      "tmax_c",      "tmin_c", "tdew_c",   "rh_max_pct", "rh_min_pct",
      "rh_mean_pct", "u2_m_s", "rs_mj_m2", "precip_mm"};
  return kNames[static_cast<std::size_t>(index_of(v))];
}

/// The field of `day` holding `v` (wind: wind_m_s, meaningful as u2 once wind_height_m == 2).
constexpr double& value_of(domain::WeatherDay& day, Variable v) {
  switch (v) {
    case Variable::tmax_c:
      return day.tmax_c;
    case Variable::tmin_c:
      return day.tmin_c;
    case Variable::tdew_c:
      return day.tdew_c;
    case Variable::rh_max_pct:
      return day.rh_max_pct;
    case Variable::rh_min_pct:
      return day.rh_min_pct;
    case Variable::rh_mean_pct:
      return day.rh_mean_pct;
    case Variable::u2_m_s:
      return day.wind_m_s;
    case Variable::rs_mj_m2:
      return day.rs_mj_m2;
    case Variable::precip_mm:
      return day.precip_mm;
  }
  return day.tmax_c;
}

constexpr double value_of(const domain::WeatherDay& day, Variable v) {
  domain::WeatherDay copy = day;
  return value_of(copy, v);
}

/// A bit per variable, for per-day masks (interpolated, rejected, ...).
using VariableMask = unsigned;
constexpr VariableMask bit_of(Variable v) {
  return 1U << index_of(v);
}

}  // namespace evapo::core
