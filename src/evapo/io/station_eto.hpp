#pragma once

// Reference ET of station rows, as `evapo eto` computes them: shared by the CLI and the
// calculations of uploaded datasets so that both give the same digits.

#include <map>
#include <optional>
#include <string_view>
#include <tuple>

#include <evapo/core/eto_result.hpp>
#include <evapo/core/hourly_reference_et.hpp>
#include <evapo/core/options.hpp>
#include <evapo/io/station_row.hpp>

namespace evapo::io {

/// Computes rows in file order: daily rows each on its own (core::compute_daily), hourly rows
/// through one core::HourlyCalculator per site, so that the cloudiness function is carried
/// forward within each site's series even when sites are interleaved.
class StationEtoCalculator {
 public:
  StationEtoCalculator(Timestep timestep, const core::EtoOptions& options);

  /// The result of the next row (a row the reader validated).
  core::EtoResult next(const StationRow& row);

 private:
  using SiteKey = std::tuple<double, double, double, double>;
  Timestep timestep_;
  core::EtoOptions options_;
  std::map<SiteKey, core::HourlyCalculator> calculators_;
};

/// The names `evapo eto` uses for its options (--method, --rso, --timestamp, --constants), one
/// table for the CLI flags and the dataset calculation API.
std::string_view to_string(core::Method method);  // fao56 | asce-short | asce-tall | hargreaves
std::string_view to_string(core::RsoModel rso);   // simple | full
std::string_view to_string(core::TimestampConvention timestamp);  // end | start
std::string_view to_string(core::ConstantSet constants);          // standard | ref-et
std::string_view to_string(Timestep timestep);                    // daily | hourly

/// Inverses of to_string; nullopt for any other name.
std::optional<core::Method> parse_method(std::string_view name);
std::optional<core::RsoModel> parse_rso(std::string_view name);
std::optional<core::TimestampConvention> parse_timestamp(std::string_view name);
std::optional<core::ConstantSet> parse_constants(std::string_view name);
std::optional<Timestep> parse_timestep(std::string_view name);

}  // namespace evapo::io
