#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include <evapo/domain/location.hpp>
#include <evapo/sources/iso_time.hpp>
#include <evapo/sources/nws_client.hpp>

#include "api_responses.hpp"
#include "climate_model.hpp"
#include "point_zone.hpp"

namespace evapo::sim {

namespace {

using Json = nlohmann::ordered_json;
constexpr double kCellsPerDegree = 40.0;
constexpr std::int64_t kHour = 3600;

SimResponse problem(unsigned status, const std::string& type, const std::string& title,
                    const std::string& detail) {
  const Json body = {{"correlationId", "5f1b2c3d"},
                     {"title", title},
                     {"type", "https://api.weather.gov/problems/" + type},
                     {"status", status},
                     {"detail", detail},
                     {"instance", "https://api.weather.gov/requests/5f1b2c3d"}};
  return json_response(status, body.dump(), "application/problem+json");
}

std::string valid_time(std::int64_t start, int hours) {
  std::string iso = sources::format_iso_utc_seconds(start);
  iso.pop_back();  // "Z" -> "+00:00" as the API writes it
  return iso + "+00:00/PT" + std::to_string(hours) + "H";
}

}  // namespace

SimResponse nws_points_response(const Query& query, const ResponseContext& context) {
  // path: /points/{lat},{lon}
  const std::string coordinates = query.path.substr(std::string("/points/").size());
  const auto comma = coordinates.find(',');
  char* end = nullptr;
  const double lat = std::strtod(coordinates.c_str(), &end);
  if (comma == std::string::npos || end != coordinates.c_str() + comma) {
    return problem(400, "InvalidParameter", "Invalid Parameter", "Parameter \"point\" is invalid");
  }
  const double lon = std::strtod(coordinates.c_str() + comma + 1, &end);
  if (*end != '\0')
    return problem(400, "InvalidParameter", "Invalid Parameter", "Parameter \"point\" is invalid");
  // More than 4 decimals: the API redirects to the rounded point.
  const auto decimals = [](const std::string& s) {
    const auto dot = s.find('.');
    return dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
  };
  if (decimals(coordinates.substr(0, comma)) > 4 || decimals(coordinates.substr(comma + 1)) > 4) {
    char target[96];
    std::snprintf(target, sizeof target, "/points/%.4f,%.4f", lat, lon);
    SimResponse redirect =
        problem(301, "MovedPermanently", "Moved Permanently", "rounded to 4 decimals");
    redirect.headers.emplace_back("Location", context.base_url + target);
    return redirect;
  }
  if (!sources::nws_covers(domain::Location{lat, lon, std::nullopt})) {
    return problem(404, "InvalidPoint", "Data Unavailable For Requested Point",
                   "Unable to provide data for requested point " + coordinates);
  }
  const int x = static_cast<int>(std::lround((lon + 180.0) * kCellsPerDegree));
  const int y = static_cast<int>(std::lround((lat + 90.0) * kCellsPerDegree));
  const std::string grid =
      context.base_url + "/gridpoints/SIM/" + std::to_string(x) + "," + std::to_string(y);
  const Json body = {
      {"@context", Json::array({"https://geojson.org/geojson-ld/geojson-context.jsonld"})},
      {"id", context.base_url + "/points/" + coordinates},
      {"type", "Feature"},
      {"geometry", {{"type", "Point"}, {"coordinates", {lon, lat}}}},
      {"properties",
       {{"@id", context.base_url + "/points/" + coordinates},
        {"@type", "wx:Point"},
        {"cwa", "SIM"},
        {"forecastOffice", context.base_url + "/offices/SIM"},
        {"gridId", "SIM"},
        {"gridX", x},
        {"gridY", y},
        {"forecast", grid + "/forecast"},
        {"forecastHourly", grid + "/forecast/hourly"},
        {"forecastGridData", grid},
        {"observationStations", grid + "/stations"},
        {"timeZone", point_zone(lat, lon).name()},
        {"radarStation", "KSIM"}}},
  };
  return json_response(200, body.dump(), "application/geo+json");
}

SimResponse nws_gridpoints_response(const Query& query, const ResponseContext& context) {
  // path: /gridpoints/{wfo}/{x},{y}
  const std::string rest = query.path.substr(std::string("/gridpoints/").size());
  const auto slash = rest.find('/');
  const auto comma = rest.find(',');
  if (slash == std::string::npos || comma == std::string::npos || comma < slash) {
    return problem(404, "NotFound", "Not Found", "grid point not found");
  }
  const std::string wfo = rest.substr(0, slash);
  const int x = std::atoi(rest.c_str() + slash + 1);
  const int y = std::atoi(rest.c_str() + comma + 1);
  const double lon = x / kCellsPerDegree - 180.0;
  const double lat = y / kCellsPerDegree - 90.0;
  if (wfo != "SIM" || !sources::nws_covers(domain::Location{lat, lon, std::nullopt})) {
    return problem(404, "InvalidGridpoint", "Invalid Gridpoint",
                   "grid point " + rest + " does not exist");
  }
  const double elevation = std::max(0.0, point_elevation_m(context, lat, lon));
  const domain::TimeZone zone = point_zone(lat, lon);
  const std::int64_t first = context.now_utc_s / kHour * kHour;
  const int hours = 7 * 24;
  auto hour = [&](std::int64_t t) {
    return simulate_hour(lat, lon, elevation, t, zone.utc_offset_s(t), domain::SourceId::nws);
  };
  const int blank_from = context.missing_days > 0 ? hours / 2 : hours;
  const int blank_to = blank_from + context.missing_days * 24;
  auto layer = [&](const char* uom, int step_hours, double (*pick)(const SimHour&), double scale,
                   bool amount) {
    Json values = Json::array();
    for (int h = 0; h + step_hours <= hours; h += step_hours) {
      double v = 0.0;
      for (int k = 0; k < step_hours; ++k) {
        const double x_k = pick(hour(first + (h + k) * kHour));
        v += amount ? x_k : x_k / step_hours;
      }
      Json value = h >= blank_from && h < blank_to ? Json(nullptr) : Json(round_to(v * scale, 3));
      values.push_back(
          {{"validTime", valid_time(first + h * kHour, step_hours)}, {"value", value}});
    }
    return Json{{"uom", uom}, {"values", values}};
  };
  // Daytime max (07-20 local) and overnight min (19-08 local) windows, as the NWS issues them.
  Json max_values = Json::array();
  Json min_values = Json::array();
  const domain::Date first_day =
      zone.local_date(std::chrono::system_clock::time_point{std::chrono::seconds{first}});
  for (int d = 0; d < 8; ++d) {
    const std::int64_t day0 = zone.day_start_utc_s(domain::add_days(first_day, d));
    double hi = -1e9, lo = 1e9;
    for (int k = 7; k < 20; ++k) hi = std::max(hi, hour(day0 + k * kHour).temp_c);
    for (int k = 19; k < 33; ++k) lo = std::min(lo, hour(day0 + k * kHour).temp_c);
    if (day0 + 7 * kHour >= first && day0 + 20 * kHour <= first + hours * kHour) {
      max_values.push_back(
          {{"validTime", valid_time(day0 + 7 * kHour, 13)}, {"value", round_to(hi, 2)}});
    }
    if (day0 + 19 * kHour >= first && day0 + 33 * kHour <= first + hours * kHour) {
      min_values.push_back(
          {{"validTime", valid_time(day0 + 19 * kHour, 14)}, {"value", round_to(lo, 2)}});
    }
  }
  std::string start = sources::format_iso_utc_seconds(first);
  start.pop_back();
  const std::string id = context.base_url + "/gridpoints/" + rest;
  Json properties = {
      {"@id", id},
      {"@type", "wx:Gridpoint"},
      {"updateTime", start + "+00:00"},
      {"validTimes", start + "+00:00/P7DT0H"},
      {"elevation", {{"unitCode", "wmoUnit:m"}, {"value", round_to(elevation, 4)}}},
      {"forecastOffice", context.base_url + "/offices/" + wfo},
      {"gridId", wfo},
      {"gridX", std::to_string(x)},
      {"gridY", std::to_string(y)},
      {"temperature",
       layer(
           "wmoUnit:degC", 1, [](const SimHour& h) { return h.temp_c; }, 1.0, false)},
      {"dewpoint", layer(
                       "wmoUnit:degC", 3, [](const SimHour& h) { return h.tdew_c; }, 1.0, false)},
      {"maxTemperature", {{"uom", "wmoUnit:degC"}, {"values", max_values}}},
      {"minTemperature", {{"uom", "wmoUnit:degC"}, {"values", min_values}}},
      {"relativeHumidity",
       layer(
           "wmoUnit:percent", 1, [](const SimHour& h) { return h.rh_pct; }, 1.0, false)},
      {"skyCover",
       layer(
           "wmoUnit:percent", 1, [](const SimHour& h) { return h.cloud_pct; }, 1.0, false)},
      {"windSpeed",
       layer(
           "wmoUnit:km_h-1", 2, [](const SimHour& h) { return h.wind10_m_s; }, 3.6, false)},
      {"probabilityOfPrecipitation",
       layer(
           "wmoUnit:percent", 6, [](const SimHour& h) { return h.precip_mm > 0 ? 60.0 : 5.0; }, 1.0,
           false)},
      {"quantitativePrecipitation",
       layer(
           "wmoUnit:mm", 6, [](const SimHour& h) { return h.precip_mm; }, 1.0, true)},
  };
  const Json body = {
      {"@context", Json::array({"https://geojson.org/geojson-ld/geojson-context.jsonld"})},
      {"id", id},
      {"type", "Feature"},
      {"geometry",
       {{"type", "Polygon"},
        {"coordinates", Json::array({Json::array({{lon, lat},
                                                  {lon + 0.025, lat},
                                                  {lon + 0.025, lat + 0.025},
                                                  {lon, lat + 0.025},
                                                  {lon, lat}})})}}},
      {"properties", properties},
  };
  return json_response(200, body.dump(), "application/geo+json");
}

}  // namespace evapo::sim
