#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include <evapo/sources/iso_time.hpp>

#include "api_responses.hpp"
#include "climate_model.hpp"
#include "point_zone.hpp"

namespace evapo::sim {

namespace {

using Json = nlohmann::ordered_json;

const char* symbol(double cloud_pct, double precip_mm) {
  if (precip_mm > 0.05) return "rain";
  if (cloud_pct < 20) return "clearsky_day";
  if (cloud_pct < 50) return "fair_day";
  if (cloud_pct < 80) return "partlycloudy_day";
  return "cloudy";
}

}  // namespace

SimResponse met_norway_response(const Query& query, const ResponseContext& context,
                                MetProduct product) {
  const bool complete = product == MetProduct::complete;
  const auto lat = query.number("lat");
  const auto lon = query.number("lon");
  if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
    return json_response(400, R"({"error":"Invalid or missing lat/lon parameters"})");
  }
  const double altitude =
      query.number("altitude").value_or(std::max(0.0, point_elevation_m(context, *lat, *lon)));
  constexpr std::int64_t kHour = 3600;
  const std::int64_t first = context.now_utc_s / kHour * kHour;
  // Hourly steps for 60 h, then 6-hourly steps on 00/06/12/18 UTC up to ~9.5 days ahead.
  std::vector<std::int64_t> times;
  for (int h = 0; h < 60; ++h) times.push_back(first + h * kHour);
  std::int64_t t = (times.back() / (6 * kHour) + 1) * 6 * kHour;
  for (; t <= first + 228 * kHour; t += 6 * kHour) times.push_back(t);
  const std::size_t hourly_steps = 60;
  const std::size_t blank_from = context.missing_days > 0 ? times.size() / 2 : times.size();
  const std::size_t blank_to =
      blank_from + static_cast<std::size_t>(std::max(0, context.missing_days)) * 4;
  const domain::TimeZone zone = point_zone(*lat, *lon);
  Json series = Json::array();
  for (std::size_t i = 0; i < times.size(); ++i) {
    auto hour = [&](std::int64_t at) {
      return simulate_hour(*lat, *lon, altitude, at, zone.utc_offset_s(at),
                           domain::SourceId::met_norway);
    };
    const SimHour h = hour(times[i]);
    Json details = {
        {"air_pressure_at_sea_level", round_to(1013.0 - 5.0 * (h.cloud_pct / 100.0), 1)},
        {"air_temperature", round_to(h.temp_c, 1)},
        {"cloud_area_fraction", round_to(h.cloud_pct, 1)}};
    if (complete) {
      details["cloud_area_fraction_high"] = round_to(h.cloud_pct * 0.3, 1);
      details["cloud_area_fraction_low"] = round_to(h.cloud_pct * 0.5, 1);
      details["cloud_area_fraction_medium"] = round_to(h.cloud_pct * 0.4, 1);
      details["dew_point_temperature"] = round_to(h.tdew_c, 1);
      details["fog_area_fraction"] = 0.0;
    }
    details["relative_humidity"] = round_to(h.rh_pct, 1);
    if (complete && i < hourly_steps) details["ultraviolet_index_clear_sky"] = 0.0;
    details["wind_from_direction"] =
        round_to(std::fmod(static_cast<double>(times[i] / kHour) * 7.3, 360.0), 1);
    details["wind_speed"] = round_to(h.wind10_m_s, 1);
    if (i >= blank_from && i < blank_to) {
      details.erase("air_temperature");
      details.erase("relative_humidity");
      details.erase("wind_speed");
    }
    Json data = {{"instant", {{"details", details}}}};
    const bool has_6h = i + 2 < times.size();
    if (has_6h) data["next_12_hours"] = {{"summary", {{"symbol_code", symbol(h.cloud_pct, 0.0)}}}};
    if (i < hourly_steps) {
      data["next_1_hours"] = {{"summary", {{"symbol_code", symbol(h.cloud_pct, h.precip_mm)}}},
                              {"details", {{"precipitation_amount", round_to(h.precip_mm, 1)}}}};
    }
    if (has_6h) {
      double hi = -1e9, lo = 1e9, precip = 0.0;
      for (int k = 0; k < 6; ++k) {
        const SimHour x = hour(times[i] + k * kHour);
        hi = std::max(hi, x.temp_c);
        lo = std::min(lo, x.temp_c);
        precip += x.precip_mm;
      }
      Json six_details = Json::object();
      if (complete) {
        six_details["air_temperature_max"] = round_to(hi, 1);
        six_details["air_temperature_min"] = round_to(lo, 1);
      }
      six_details["precipitation_amount"] = round_to(precip, 1);
      data["next_6_hours"] = {{"summary", {{"symbol_code", symbol(h.cloud_pct, precip)}}},
                              {"details", six_details}};
    }
    series.push_back({{"time", sources::format_iso_utc_seconds(times[i])}, {"data", data}});
  }
  Json units = {{"air_pressure_at_sea_level", "hPa"}, {"air_temperature", "celsius"}};
  if (complete) {
    units["air_temperature_max"] = "celsius";
    units["air_temperature_min"] = "celsius";
  }
  units["cloud_area_fraction"] = "%";
  if (complete) {
    units["cloud_area_fraction_high"] = "%";
    units["cloud_area_fraction_low"] = "%";
    units["cloud_area_fraction_medium"] = "%";
    units["dew_point_temperature"] = "celsius";
    units["fog_area_fraction"] = "%";
  }
  units["precipitation_amount"] = "mm";
  units["relative_humidity"] = "%";
  if (complete) units["ultraviolet_index_clear_sky"] = "1";
  units["wind_from_direction"] = "degrees";
  units["wind_speed"] = "m/s";
  const Json body = {
      {"type", "Feature"},
      {"geometry",
       {{"type", "Point"},
        {"coordinates", {round_to(*lon, 4), round_to(*lat, 4), std::lround(altitude)}}}},
      {"properties",
       {{"meta",
         {{"updated_at", sources::format_iso_utc_seconds(first - 2 * kHour)}, {"units", units}}},
        {"timeseries", series}}},
  };
  SimResponse response = json_response(200, body.dump());
  response.headers.emplace_back("Expires", "Thu, 01 Jan 2099 00:00:00 GMT");
  response.headers.emplace_back("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT");
  return response;
}

}  // namespace evapo::sim
