#include <cmath>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include <evapo/domain/source_id.hpp>
#include <evapo/pipeline/warning.hpp>

namespace evapo::pipeline {

namespace warning {

namespace {

std::string name_of(domain::SourceId source) {
  return std::string(domain::to_string(source));
}

std::string days_text(int days) {
  return days == 1 ? "1 day" : fmt::format("{} days", days);
}

}  // namespace

Warning over_sea(double distance_km) {
  const long long km = std::llround(distance_km);
  return {"over_sea",
          {{"distance_km", km}},
          fmt::format("the point is over the sea, {} km from the nearest land: computed for a "
                      "grass surface, which open water is not",
                      km)};
}

Warning elevation_below_sea_level() {
  return {"elevation_below_sea_level",
          {},
          "the terrain at the point is below sea level: computed at 0 m"};
}

Warning elevation_offline() {
  return {"elevation_offline",
          {},
          "elevation from the offline ETOPO20 grid (Open-Meteo's elevation service did not "
          "answer)"};
}

Warning elevation_unknown() {
  return {"elevation_unknown", {}, "elevation unknown: 0 m assumed"};
}

Warning source_failed(domain::SourceId source, std::string reason) {
  std::string message = fmt::format("{} failed: {}", name_of(source), reason);
  return {"source_failed",
          {{"source", name_of(source)}, {"reason", std::move(reason)}},
          std::move(message)};
}

Warning source_no_data(domain::SourceId source) {
  return {"source_no_data",
          {{"source", name_of(source)}},
          fmt::format("{}: no usable days", name_of(source))};
}

Warning source_days_missing(domain::SourceId source, int days) {
  return {"source_days_missing",
          {{"source", name_of(source)}, {"days", days}},
          fmt::format("{}: {} without any data", name_of(source), days_text(days))};
}

Warning source_variable_missing(domain::SourceId source, std::string variable, int days) {
  std::string message =
      fmt::format("{}: {} missing on {}", name_of(source), variable, days_text(days));
  return {"source_variable_missing",
          {{"source", name_of(source)}, {"variable", std::move(variable)}, {"days", days}},
          std::move(message)};
}

Warning source_values_discarded(domain::SourceId source, int count) {
  return {"source_values_discarded",
          {{"source", name_of(source)}, {"count", count}},
          fmt::format("{}: {} value(s) outside physical limits discarded", name_of(source), count)};
}

Warning source_notice(domain::SourceId source, std::string detail) {
  std::string message = fmt::format("{}: {}", name_of(source), detail);
  return {"source_notice",
          {{"source", name_of(source)}, {"detail", std::move(detail)}},
          std::move(message)};
}

Warning utc_offset_estimated(std::string reason) {
  std::string message = fmt::format(
      "local days use the UTC offset estimated from the longitude, without daylight saving ({})",
      reason);
  return {"utc_offset_estimated", {{"reason", std::move(reason)}}, std::move(message)};
}

Warning comparison_outside_sources(domain::Date first, domain::Date last) {
  const std::string from = domain::format_iso_date(first);
  const std::string to = domain::format_iso_date(last);
  return {"comparison_outside_sources",
          {{"first", from}, {"last", to}},
          fmt::format("the public sources cover {} .. {} only: days outside are not compared", from,
                      to)};
}

Warning comparison_failed(domain::Date first, domain::Date last, std::string reason) {
  const std::string from = domain::format_iso_date(first);
  const std::string to = domain::format_iso_date(last);
  std::string message = fmt::format("public sources for {} .. {}: {}", from, to, reason);
  return {"comparison_failed",
          {{"first", from}, {"last", to}, {"reason", std::move(reason)}},
          std::move(message)};
}

Warning comparison_tall_reference() {
  return {"comparison_tall_reference",
          {},
          "the station's ETr (tall reference) is compared with the sources' ETo (short "
          "reference)"};
}

}  // namespace warning

namespace {

using domain::is_missing;
using domain::WeatherDay;

// The variables a user knows, each present on a day when any of its fields is.
struct Coverage {
  const char* name;
  bool (*present)(const WeatherDay&);
};

const Coverage kCoverage[] = {
    {"temperature",
     [](const WeatherDay& d) { return !is_missing(d.tmax_c) && !is_missing(d.tmin_c); }},
    {"humidity",
     [](const WeatherDay& d) {
       return !is_missing(d.tdew_c) || !is_missing(d.rh_mean_pct) ||
              (!is_missing(d.rh_max_pct) && !is_missing(d.rh_min_pct));
     }},
    {"wind", [](const WeatherDay& d) { return !is_missing(d.wind_m_s); }},
    {"radiation", [](const WeatherDay& d) { return !is_missing(d.rs_mj_m2); }},
    {"precipitation", [](const WeatherDay& d) { return !is_missing(d.precip_mm); }},
};

bool has_any_value(const WeatherDay& d) {
  for (double value : {d.tmax_c, d.tmin_c, d.tmean_c, d.tdew_c, d.rh_max_pct, d.rh_min_pct,
                       d.rh_mean_pct, d.wind_m_s, d.rs_mj_m2, d.precip_mm}) {
    if (!is_missing(value)) return true;
  }
  return false;
}

}  // namespace

std::vector<Warning> coverage_warnings(const domain::WeatherSeries& series, domain::Date first,
                                       domain::Date last) {
  std::vector<Warning> out;
  if (last < first) return out;
  const int range_days = domain::days_between(first, last) + 1;
  int data_days = 0;
  std::map<std::string_view, int> present;
  for (const auto& day : series.days) {
    if (day.date < first || day.date > last || !has_any_value(day)) continue;
    ++data_days;
    for (const auto& variable : kCoverage) {
      if (variable.present(day)) ++present[variable.name];
    }
  }
  if (data_days < range_days && data_days > 0) {
    out.push_back(warning::source_days_missing(series.source, range_days - data_days));
  }
  for (const auto& variable : kCoverage) {
    const int have = present[variable.name];
    if (have > 0 && have < data_days) {
      out.push_back(
          warning::source_variable_missing(series.source, variable.name, data_days - have));
    }
  }
  return out;
}

}  // namespace evapo::pipeline
