#pragma once

// Readers for the Fallon, Nevada 2015 AgriMet record and its REF-ET 4.1 output files in
// shared/datasets/agrimet_faln_2015/ (see the README there), with AgriMet's units converted.

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <evapo/domain/date.hpp>

namespace evapo::core::testing {

inline const std::string kFallonDir =
    std::string(EVAPO_SHARED_DIR) + "/datasets/agrimet_faln_2015/";

inline double fahrenheit_to_c(double f) {
  return (f - 32.0) * 5.0 / 9.0;
}
inline constexpr double kLangleyToMjM2 = 0.041868;  // REF-ET's factor
inline constexpr double kMphToMS = 0.44704;

/// Splits a CSV line at commas.
inline std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) fields.push_back(field);
  return fields;
}

/// Half a unit of the last digit printed in `token` ("6.60" -> 0.005, "10.0" -> 0.05).
inline double printed_half_unit(const std::string& token) {
  const auto dot = token.find('.');
  const std::size_t decimals = dot == std::string::npos ? 0 : token.size() - dot - 1;
  return 0.5 * std::pow(10.0, -static_cast<double>(decimals));
}

/// One data row of a REF-ET .out file: the numbers and the printed half unit of each.
struct OutRow {
  std::vector<double> values;
  std::vector<double> half_units;
  const double& operator[](std::size_t i) const { return values[i]; }
};

/// The data rows after "RESULTS (SI Units):" (rows of numbers only; headers start with "--" or
/// a name).
inline std::vector<OutRow> read_refet_out(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  bool in_results = false;
  std::vector<OutRow> rows;
  while (std::getline(file, line)) {
    if (line.find("RESULTS (SI Units):") != std::string::npos) {
      in_results = true;
      continue;
    }
    if (!in_results) continue;
    std::istringstream stream(line);
    OutRow row;
    std::string token;
    bool numeric = true;
    while (stream >> token) {
      try {
        std::size_t used = 0;
        row.values.push_back(std::stod(token, &used));
        row.half_units.push_back(printed_half_unit(token));
        if (used != token.size()) numeric = false;
      } catch (...) {
        numeric = false;
      }
      if (!numeric) break;
    }
    if (numeric && row.values.size() >= 10) rows.push_back(row);
  }
  return rows;
}

/// Raw CSV rows as numbers, header skipped. A non-numeric field ("NO RECORD") is NaN.
inline std::vector<std::vector<double>> read_raw_csv(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  std::vector<std::vector<double>> rows;
  while (std::getline(file, line)) {
    if (line.empty() || line == "\r") continue;
    std::vector<double> values;
    for (const std::string& field : split_csv(line)) {
      try {
        values.push_back(std::stod(field));
      } catch (...) {
        values.push_back(std::nan(""));
      }
    }
    rows.push_back(values);
  }
  return rows;
}

/// One day of the Fallon 2015 daily record in SI units (NaN where AgriMet has no record) and
/// REF-ET 4.1's ASCE standardized short-reference ETo for it.
struct FallonDay {
  domain::Date date{};
  double tmax_c = 0.0;
  double tmin_c = 0.0;
  double rs_mj_m2 = 0.0;
  double wind_3m_m_s = 0.0;  // anemometer at 3 m
  double tdew_c = 0.0;
  double refet_eto_mm = 0.0;
};

inline constexpr double kFallonLatitudeDeg = 39.4575;
inline constexpr double kFallonLongitudeDeg = -118.77388;
inline constexpr double kFallonElevationM = 1208.5;

/// The 365 days of FALN_Agrimet_daily_raw_2015.csv with the ETo of the matching .out row.
inline std::vector<FallonDay> read_fallon_daily() {
  const auto raw = read_raw_csv(kFallonDir + "FALN_Agrimet_daily_raw_2015.csv");
  const auto out = read_refet_out(kFallonDir + "FALN_Agrimet_daily_raw_2015.out");
  std::vector<FallonDay> days;
  for (std::size_t i = 0; i < raw.size() && i < out.size(); ++i) {
    const auto& r = raw[i];  // YEAR,MONTH,DAY,MN,MX,SR,YM,UA,ETRS,ETOS (°F, langley, mph)
    FallonDay day;
    day.date = domain::Date{std::chrono::year{static_cast<int>(r[0])},
                            std::chrono::month{static_cast<unsigned>(r[1])},
                            std::chrono::day{static_cast<unsigned>(r[2])}};
    day.tmin_c = fahrenheit_to_c(r[3]);
    day.tmax_c = fahrenheit_to_c(r[4]);
    day.rs_mj_m2 = r[5] * kLangleyToMjM2;
    day.tdew_c = fahrenheit_to_c(r[6]);
    day.wind_3m_m_s = r[7] * kMphToMS;
    day.refet_eto_mm = out[i][9];
    days.push_back(day);
  }
  return days;
}

}  // namespace evapo::core::testing
