#pragma once

// Unit conversions to evapo's units (°C, m/s, mm, MJ m-2, kPa), shared by the clients.

#include <string>
#include <string_view>

namespace evapo::sources {

/// A conversion of one value to evapo's unit.
using UnitConverter = double (*)(double);

inline double same_unit(double v) {
  return v;
}
inline double fahrenheit_to_celsius(double f) {
  return (f - 32.0) * 5.0 / 9.0;
}
inline double kelvin_to_celsius(double k) {
  return k - 273.15;
}
inline double km_h_to_m_s(double v) {
  return v / 3.6;
}
inline double mph_to_m_s(double v) {
  return v * 0.44704;
}
inline double knots_to_m_s(double v) {
  return v * 0.514444;
}
inline double inch_to_mm(double v) {
  return v * 25.4;
}
inline double kwh_to_mj(double v) {
  return v * 3.6;
}  // 1 kWh = 3.6 MJ
inline double pa_to_kpa(double v) {
  return v / 1000.0;
}
inline double m_to_mm(double v) {
  return v * 1000.0;
}

/// NWS / WMO unit codes ("wmoUnit:degC", older "unit:degC"): degC, degF, K, percent, km_h-1,
/// m_s-1, Pa (to kPa), m and mm (unchanged); nullptr for anything else.
inline UnitConverter wmo_unit_converter(std::string_view code) {
  if (const auto colon = code.find(':'); colon != std::string_view::npos)
    code = code.substr(colon + 1);
  if (code == "degC" || code == "percent" || code == "m_s-1" || code == "m" || code == "mm")
    return &same_unit;
  if (code == "degF") return &fahrenheit_to_celsius;
  if (code == "K") return &kelvin_to_celsius;
  if (code == "km_h-1") return &km_h_to_m_s;
  if (code == "Pa") return &pa_to_kpa;
  return nullptr;
}

}  // namespace evapo::sources
