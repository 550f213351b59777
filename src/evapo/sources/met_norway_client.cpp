#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include <evapo/core/hourly_to_daily.hpp>
#include <evapo/sources/iso_time.hpp>
#include <evapo/sources/json_guard.hpp>
#include <evapo/sources/met_norway_client.hpp>
#include <evapo/sources/units.hpp>
#include <evapo/sources/upstream_error.hpp>

namespace evapo::sources {

namespace {

using Json = nlohmann::json;
using core::HourlyVariable;
using core::IntervalKind;

double number_at(const Json& details, const char* key) {
  if (!details.is_object() || !details.contains(key) || !details[key].is_number())
    return domain::kMissing;
  return details[key].get<double>();
}

const Json* details_of(const Json& data, const char* block) {
  if (!data.contains(block) || !data[block].is_object()) return nullptr;
  const Json& b = data[block];
  if (!b.contains("details") || !b["details"].is_object()) return nullptr;
  return &b["details"];
}

// Conversion of a meta.units temperature string; nullptr when not understood.
UnitConverter temperature_converter(const std::string& unit) {
  if (unit.empty() || unit == "celsius") return &same_unit;
  if (unit == "fahrenheit") return &fahrenheit_to_celsius;
  return nullptr;
}

}  // namespace

std::string met_norway_url(std::string_view base_url, const domain::Location& location) {
  char query[128];
  std::snprintf(query, sizeof query, "?lat=%.4f&lon=%.4f", location.latitude_deg,
                location.longitude_deg);
  std::string url = std::string(base_url) + "/weatherapi/locationforecast/2.0/complete" + query;
  if (location.elevation_m && std::isfinite(*location.elevation_m)) {
    url += "&altitude=" + std::to_string(static_cast<long>(std::lround(*location.elevation_m)));
  }
  return url;
}

domain::Expected<domain::WeatherSeries> parse_met_norway(std::string_view body,
                                                         const domain::TimeZone& zone,
                                                         domain::Date start, domain::Date end) {
  return parse_guarded("met_norway", [&]() -> domain::Expected<domain::WeatherSeries> {
    Json json = Json::parse(body.begin(), body.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      return domain::fail(domain::Error::upstream("met_norway: response is not valid JSON"));
    }
    if (json.contains("data") && json.contains("status_code") && json["data"].is_object()) {
      Json inner = std::move(json["data"]);
      json = std::move(inner);
    }
    if (!json.contains("properties") || !json["properties"].is_object() ||
        !json["properties"].contains("timeseries") ||
        !json["properties"]["timeseries"].is_array()) {
      return domain::fail(
          domain::Error::upstream("met_norway: response has no properties.timeseries"));
    }
    const Json& properties = json["properties"];
    std::string temperature_unit = "celsius";
    std::string wind_unit = "m/s";
    if (properties.contains("meta") && properties["meta"].is_object() &&
        properties["meta"].contains("units") && properties["meta"]["units"].is_object()) {
      const Json& units = properties["meta"]["units"];
      temperature_unit = units.value("air_temperature", temperature_unit);
      wind_unit = units.value("wind_speed", wind_unit);
    }
    const auto to_celsius = temperature_converter(temperature_unit);
    if (to_celsius == nullptr) {
      return domain::fail(domain::Error::upstream("met_norway: temperature unit '" +
                                                  temperature_unit + "' not understood"));
    }
    domain::WeatherSeries series;
    series.source = domain::SourceId::met_norway;
    series.utc_offset_seconds = zone.utc_offset_s(zone.day_start_utc_s(start));
    if (wind_unit != "m/s")
      series.warnings.push_back("met_norway: wind unit '" + wind_unit +
                                "' not understood; wind ignored");
    if (json.contains("geometry") && json["geometry"].is_object() &&
        json["geometry"].contains("coordinates") && json["geometry"]["coordinates"].is_array() &&
        json["geometry"]["coordinates"].size() >= 3 &&
        json["geometry"]["coordinates"][2].is_number()) {
      series.elevation_m = json["geometry"]["coordinates"][2].get<double>();
    }
    const Json& steps = properties["timeseries"];
    std::vector<std::int64_t> times;
    times.reserve(steps.size());
    for (const Json& step : steps) {
      const auto t = step.is_object() && step.contains("time") && step["time"].is_string()
                         ? parse_iso_utc_seconds(step["time"].get<std::string>())
                         : std::nullopt;
      if (!t)
        return domain::fail(domain::Error::upstream("met_norway: time step without a valid time"));
      times.push_back(*t);
    }
    core::HourlyTable table;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (!steps[i].contains("data") || !steps[i]["data"].is_object()) continue;
      const Json& data = steps[i]["data"];
      // An instant value stands for its step: until the next step, at most 6 h.
      const std::int64_t step_s =
          i + 1 < times.size() ? std::min<std::int64_t>(times[i + 1] - times[i], 6 * 3600) : 3600;
      if (const Json* instant = details_of(data, "instant")) {
        auto level = [&](HourlyVariable variable, double value) {
          table.add_interval(variable, {times[i], step_s, value}, IntervalKind::level);
        };
        const double t = number_at(*instant, "air_temperature");
        level(HourlyVariable::temp_c, std::isnan(t) ? t : to_celsius(t));
        const double td = number_at(*instant, "dew_point_temperature");
        level(HourlyVariable::tdew_c, std::isnan(td) ? td : to_celsius(td));
        level(HourlyVariable::rh_pct, number_at(*instant, "relative_humidity"));
        if (wind_unit == "m/s") level(HourlyVariable::wind_m_s, number_at(*instant, "wind_speed"));
      }
      const Json* next1 = details_of(data, "next_1_hours");
      const Json* next6 = details_of(data, "next_6_hours");
      // Inside the hourly part the 6-hour windows overlap and reach into the next day; the hourly
      // instants already carry the extremes there.
      if (next6 != nullptr && step_s >= 6 * 3600) {
        const double hi = number_at(*next6, "air_temperature_max");
        const double lo = number_at(*next6, "air_temperature_min");
        table.add_interval(HourlyVariable::temp_max_c,
                           {times[i], 6 * 3600, std::isnan(hi) ? hi : to_celsius(hi)},
                           IntervalKind::extreme);
        table.add_interval(HourlyVariable::temp_min_c,
                           {times[i], 6 * 3600, std::isnan(lo) ? lo : to_celsius(lo)},
                           IntervalKind::extreme);
      }
      if (next1 != nullptr) {
        table.set(times[i], HourlyVariable::precip_mm, number_at(*next1, "precipitation_amount"));
      } else if (next6 != nullptr && step_s >= 6 * 3600) {
        // Past the hourly part the 6-hour amounts tile the time line; inside it they overlap.
        table.add_interval(HourlyVariable::precip_mm,
                           {times[i], 6 * 3600, number_at(*next6, "precipitation_amount")},
                           IntervalKind::amount);
      }
    }
    // Days the forecast covers only in part come out empty and are left out (the pipeline
    // tells the user which days a source lacks).
    for (const auto& day : table.to_local_days(zone, 10.0)) {
      if (domain::days_between(start, day.date) < 0 || domain::days_between(day.date, end) < 0)
        continue;
      const bool any = !std::isnan(day.tmax_c) || !std::isnan(day.rh_mean_pct) ||
                       !std::isnan(day.wind_m_s) || !std::isnan(day.precip_mm);
      if (any) series.days.push_back(day);
    }
    return series;
  });
}

domain::Expected<domain::WeatherSeries> fetch_met_norway(const FetchRequest& request,
                                                         const SourcesConfig& config,
                                                         HttpClient& http,
                                                         const FetchControl& control,
                                                         const TransferCallback& on_event) {
  auto response = http.perform(get_request(met_norway_url(config.met_norway_url, request.location),
                                           "met_norway", {"Accept: application/json"}),
                               control, on_event);
  if (!response) return domain::fail(response.error());
  if (response->status < 200 || response->status > 299) {
    return domain::fail(
        error_for_status("met_norway", response->status, body_excerpt(response->body)));
  }
  auto series = parse_met_norway(response->body, effective_time_zone(request), request.start_date,
                                 request.end_date);
  if (!series) return series;
  if (response->status == 203)
    series->warnings.push_back("met_norway: product deprecated (HTTP 203)");
  if (series->days.empty()) {
    return domain::fail(
        domain::Error::unavailable("met_norway: no forecast days in the requested range"));
  }
  return series;
}

}  // namespace evapo::sources
