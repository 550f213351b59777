#pragma once

// What a finished calculation warns about: a stable code with named parameters, which a UI
// translates, and the same sentence in English for API users, the CLI and logs. One factory per
// code, so the code, its parameters and its sentence are written in one place.

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <evapo/domain/date.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::pipeline {

struct Warning {
  using Value = std::variant<std::string, long long, double>;
  std::string code;                                   // snake_case, e.g. "source_failed"
  std::vector<std::pair<std::string, Value>> params;  // e.g. {"source", "nasa_power"}
  std::string message;                                // English

  bool operator==(const Warning&) const = default;
};

namespace warning {

/// The request said allow_sea and the point is `distance_km` from the nearest land.
Warning over_sea(double distance_km);
/// The terrain at the point is below sea level; ETo was computed at 0 m.
Warning elevation_below_sea_level();
/// Open-Meteo's elevation service did not answer; the offline ETOPO20 grid was used.
Warning elevation_offline();
/// No elevation could be found; 0 m was assumed.
Warning elevation_unknown();
/// The source gave nothing; `reason` is the English cause (HTTP status, timeout, ...).
Warning source_failed(domain::SourceId source, std::string reason);
/// The source answered but with no usable day.
Warning source_no_data(domain::SourceId source);
/// `days` days of the source's range have no value at all.
Warning source_days_missing(domain::SourceId source, int days);
/// `variable` ("temperature", "humidity", "wind", "radiation", "precipitation") is missing on
/// `days` of the days the source did deliver.
Warning source_variable_missing(domain::SourceId source, std::string variable, int days);
/// Quality control discarded `count` values outside physical limits.
Warning source_values_discarded(domain::SourceId source, int count);
/// Anything else the source layer noted (a unit not understood, a deprecated product).
Warning source_notice(domain::SourceId source, std::string detail);
/// The point's time zone could not be looked up (`reason`): local days use the UTC offset
/// estimated from the longitude, without daylight saving.
Warning utc_offset_estimated(std::string reason);
/// A station dataset's comparison: the public sources cover [first, last] only, so the station's
/// days outside are not compared.
Warning comparison_outside_sources(domain::Date first, domain::Date last);
/// A station dataset's comparison: the public sources failed for [first, last] (`reason`).
Warning comparison_failed(domain::Date first, domain::Date last, std::string reason);
/// A station dataset's comparison: its ETr (tall reference) is compared with the sources' ETo.
Warning comparison_tall_reference();

}  // namespace warning

/// Days and variables a source lacks over [first, last], from its series alone, so a result
/// served from the cache warns exactly as a fresh download: source_days_missing for days with no
/// value at all, source_variable_missing for a variable absent on some (not all) of the other
/// days (a variable absent on every day is one the source does not offer).
std::vector<Warning> coverage_warnings(const domain::WeatherSeries& series, domain::Date first,
                                       domain::Date last);

}  // namespace evapo::pipeline
