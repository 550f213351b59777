#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include <evapo/sources/time_zone_database.hpp>

#include "api_responses.hpp"
#include "climate_model.hpp"
#include "point_zone.hpp"

namespace evapo::sim {

namespace {

using Json = nlohmann::ordered_json;

struct Variable {
  const char* name;
  const char* unit;  // default unit; wind and temperature follow the query
  double (*value)(const SimDay&);
};

const Variable kVariables[] = {
    {"temperature_2m_max", "°C", [](const SimDay& d) { return d.tmax_c; }},
    {"temperature_2m_min", "°C", [](const SimDay& d) { return d.tmin_c; }},
    {"temperature_2m_mean", "°C", [](const SimDay& d) { return d.tmean_c; }},
    {"relative_humidity_2m_max", "%", [](const SimDay& d) { return d.rh_max_pct; }},
    {"relative_humidity_2m_min", "%", [](const SimDay& d) { return d.rh_min_pct; }},
    {"relative_humidity_2m_mean", "%", [](const SimDay& d) { return d.rh_mean_pct; }},
    {"dew_point_2m_mean", "°C", [](const SimDay& d) { return d.tdew_c; }},
    {"wind_speed_10m_mean", "km/h", [](const SimDay& d) { return d.wind10_m_s; }},
    {"wind_speed_10m_max", "km/h", [](const SimDay& d) { return d.wind10_m_s * 1.6; }},
    {"shortwave_radiation_sum", "MJ/m²", [](const SimDay& d) { return d.rs_mj_m2; }},
    {"precipitation_sum", "mm", [](const SimDay& d) { return d.precip_mm; }},
    {"et0_fao_evapotranspiration", "mm", [](const SimDay& d) { return d.eto_mm; }},
};

SimResponse error(const std::string& reason) {
  return json_response(400, Json{{"error", true}, {"reason", reason}}.dump());
}

bool is_temperature(const std::string& name) {
  return name.rfind("temperature", 0) == 0 || name.rfind("dew_point", 0) == 0;
}

}  // namespace

SimResponse open_meteo_response(domain::SourceId source, const Query& query,
                                const ResponseContext& context) {
  const auto lat = query.number("latitude");
  const auto lon = query.number("longitude");
  if (!lat || !lon) return error("Value of type 'Float' required for key 'latitude'.");
  if (*lat < -90 || *lat > 90)
    return error("Latitude must be in range of -90 to 90°. Given: " + std::to_string(*lat) + ".");
  if (*lon < -180 || *lon > 180)
    return error("Longitude must be in range of -180 to 180°. Given: " + std::to_string(*lon) +
                 ".");
  const bool archive = source == domain::SourceId::open_meteo_archive;
  // Like the real API: "auto" is the point's zone, any tz database name is accepted, and every
  // day is grouped with the one offset in force now (no daylight saving change inside a reply).
  const std::string timezone = query.get("timezone") ? *query.get("timezone") : "GMT";
  auto zone = domain::TimeZone::fixed("GMT", domain::TimeZoneSource::boundary, 0);
  if (timezone == "auto") {
    zone = point_zone(*lat, *lon);
  } else if (timezone != "GMT" && timezone != "UTC") {
    auto named = sources::load_time_zone(timezone, domain::TimeZoneSource::boundary);
    if (!named) return error("Invalid timezone '" + timezone + "'");
    zone = std::move(*named);
  }
  const int offset = zone.utc_offset_s(context.now_utc_s);
  const domain::Date local_today = zone.local_date(
      std::chrono::system_clock::time_point{std::chrono::seconds{context.now_utc_s}});
  std::optional<domain::Date> start;
  std::optional<domain::Date> end;
  if (query.get("start_date") != nullptr || query.get("end_date") != nullptr) {
    if (query.get("start_date") == nullptr)
      return error("Value of type 'String' required for key 'start_date'.");
    if (query.get("end_date") == nullptr)
      return error("Value of type 'String' required for key 'end_date'.");
    start = domain::parse_iso_date(*query.get("start_date"));
    end = domain::parse_iso_date(*query.get("end_date"));
    if (!start || !end) return error("Invalid date format. Make sure to use 'YYYY-MM-DD'");
    if (domain::days_between(*start, *end) < 0)
      return error("End-date must be larger or equals than start-date");
  } else if (archive) {
    return error("Value of type 'String' required for key 'start_date'.");
  } else {
    const int forecast_days = static_cast<int>(query.number("forecast_days").value_or(7));
    const int past_days = static_cast<int>(query.number("past_days").value_or(0));
    start = domain::add_days(local_today, -past_days);
    end = domain::add_days(local_today, forecast_days - 1);
  }
  const domain::Date first =
      archive ? domain::Date{std::chrono::year{1940}, std::chrono::January, std::chrono::day{1}}
              : domain::add_days(context.today, -92);
  const domain::Date last =
      archive ? domain::add_days(context.today, 16) : domain::add_days(context.today, 15);
  for (const auto& [key, date] : {std::pair{"start_date", *start}, std::pair{"end_date", *end}}) {
    if (domain::days_between(first, date) < 0 || domain::days_between(date, last) < 0) {
      return error(std::string("Parameter '") + key + "' is out of allowed range from " +
                   domain::format_iso_date(first) + " to " + domain::format_iso_date(last));
    }
  }
  std::vector<const Variable*> chosen;
  if (const std::string* daily = query.get("daily")) {
    std::string_view rest = *daily;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string name(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      const auto it = std::find_if(std::begin(kVariables), std::end(kVariables),
                                   [&](const Variable& v) { return name == v.name; });
      if (it == std::end(kVariables)) {
        return error("Cannot initialize DailyVariable from invalid String value " + name +
                     " for key daily");
      }
      chosen.push_back(&*it);
    }
  }
  const std::string wind_unit = query.get("wind_speed_unit")  ? *query.get("wind_speed_unit")
                                : query.get("windspeed_unit") ? *query.get("windspeed_unit")
                                                              : "kmh";
  const std::string temperature_unit =
      query.get("temperature_unit") ? *query.get("temperature_unit") : "celsius";
  if (wind_unit != "kmh" && wind_unit != "ms" && wind_unit != "mph" && wind_unit != "kn") {
    return error("Cannot initialize WindspeedUnit from invalid String value " + wind_unit +
                 " for key wind_speed_unit");
  }
  if (temperature_unit != "celsius" && temperature_unit != "fahrenheit") {
    return error("Cannot initialize TemperatureUnit from invalid String value " + temperature_unit +
                 " for key temperature_unit");
  }
  const std::string tz_abbreviation =
      zone.name() == "GMT" ? "GMT"
                           : sources::time_zone_abbreviation(zone.name(), context.now_utc_s);
  const double grid_lat = round_to(std::round(*lat * 10.0) / 10.0 - 0.000005, 6);
  const double grid_lon = round_to(std::round(*lon * 10.0) / 10.0 + 0.000006, 6);
  const double elevation = std::max(0.0, point_elevation_m(context, *lat, *lon));
  const int days = domain::days_between(*start, *end) + 1;
  const int blank_from = context.missing_days > 0 ? days / 2 - context.missing_days / 2 : days;
  Json units = Json::object();
  Json daily = Json::object();
  units["time"] = "iso8601";
  daily["time"] = Json::array();
  for (const Variable* v : chosen) {
    std::string unit = v->unit;
    if (is_temperature(v->name) && temperature_unit == "fahrenheit") unit = "°F";
    if (unit == "km/h")
      unit = wind_unit == "ms"    ? "m/s"
             : wind_unit == "mph" ? "mp/h"
             : wind_unit == "kn"  ? "kn"
                                  : "km/h";
    units[v->name] = unit;
    daily[v->name] = Json::array();
  }
  for (int i = 0; i < days; ++i) {
    const domain::Date date = domain::add_days(*start, i);
    daily["time"].push_back(domain::format_iso_date(date));
    const SimDay d = simulate_day(*lat, *lon, elevation, date, source);
    const int age = domain::days_between(date, context.today);
    // The archive (ERA5) lags real time by about five days.
    const bool missing =
        (archive && age < 5) || (i >= blank_from && i < blank_from + context.missing_days);
    for (const Variable* v : chosen) {
      if (missing) {
        daily[v->name].push_back(nullptr);
        continue;
      }
      double value = v->value(d);
      if (is_temperature(v->name) && temperature_unit == "fahrenheit")
        value = value * 9.0 / 5.0 + 32.0;
      if (std::string(v->unit) == "km/h") {
        value *= wind_unit == "ms"    ? 1.0
                 : wind_unit == "mph" ? 2.23694
                 : wind_unit == "kn"  ? 1.94384
                                      : 3.6;
      }
      daily[v->name].push_back(round_to(value, std::string(v->unit) == "%" ? 0 : 1));
    }
  }
  Json body = {
      {"latitude", grid_lat},
      {"longitude", grid_lon},
      {"generationtime_ms", 0.0429153442382812},
      {"utc_offset_seconds", offset},
      {"timezone", zone.name()},
      {"timezone_abbreviation", tz_abbreviation},
      {"elevation", round_to(elevation, 1)},
  };
  if (!chosen.empty()) {
    body["daily_units"] = std::move(units);
    body["daily"] = std::move(daily);
  }
  return json_response(200, body.dump());
}

}  // namespace evapo::sim
