#pragma once

// The Fallon NV AgriMet 2015 daily record served as NASA POWER and the Open-Meteo archive would
// serve it: VCR cassettes for evapo-upstream-sim's --fixtures, whose requests are exactly the
// ones the real clients make (their URL builders and date chunks) and whose bodies are in each
// API's wire format, values printed at the API's precision. Only the station's variables are
// given (Tmax, Tmin, Tdew, Rs, wind); the others are the API's missing value.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <support/fallon_data.hpp>

#include <evapo/core/quality_control.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/sources/date_chunks.hpp>
#include <evapo/sources/nasa_power_client.hpp>
#include <evapo/sources/open_meteo_client.hpp>
#include <evapo/sources/sources_config.hpp>

namespace evapo::pipeline::testing {

using core::testing::FallonDay;
using Json = nlohmann::json;

inline double printed(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

inline std::string yyyymmdd(domain::Date date) {
  const std::string iso = domain::format_iso_date(date);
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

inline std::vector<FallonDay> days_in(const std::vector<FallonDay>& all, domain::Date start,
                                      domain::Date end) {
  std::vector<FallonDay> out;
  for (const auto& day : all)
    if (day.date >= start && day.date <= end) out.push_back(day);
  return out;
}

// FAO-56 Eq. 47 from 3 m to `z_m` (through 2 m, as the pipeline goes back).
inline double wind_at(double wind_3m_m_s, double z_m) {
  const double u2 = core::wind_at_2m(wind_3m_m_s, 3.0);
  return u2 / core::wind_at_2m(1.0, z_m);
}

/// A NASA POWER daily point answer (community AG, JSON, LST), values to 2 decimals, -999 fill.
inline std::string nasa_power_body(const std::vector<FallonDay>& days) {
  const auto value = [](double v) { return std::isnan(v) ? -999.0 : printed(v, 2); };
  Json parameter = {{"T2M_MAX", Json::object()},
                    {"T2M_MIN", Json::object()},
                    {"T2M", Json::object()},
                    {"T2MDEW", Json::object()},
                    {"RH2M", Json::object()},
                    {"WS2M", Json::object()},
                    {"ALLSKY_SFC_SW_DWN", Json::object()},
                    {"PRECTOTCORR", Json::object()}};
  for (const auto& day : days) {
    const std::string key = yyyymmdd(day.date);
    parameter["T2M_MAX"][key] = value(day.tmax_c);
    parameter["T2M_MIN"][key] = value(day.tmin_c);
    parameter["T2M"][key] = -999.0;
    parameter["T2MDEW"][key] = value(day.tdew_c);
    parameter["RH2M"][key] = -999.0;
    parameter["WS2M"][key] = value(wind_at(day.wind_3m_m_s, 2.0));
    parameter["ALLSKY_SFC_SW_DWN"][key] = value(day.rs_mj_m2);
    parameter["PRECTOTCORR"][key] = -999.0;
  }
  const Json units = {{"T2M_MAX", {{"units", "C"}}},
                      {"T2M_MIN", {{"units", "C"}}},
                      {"T2M", {{"units", "C"}}},
                      {"T2MDEW", {{"units", "C"}}},
                      {"RH2M", {{"units", "%"}}},
                      {"WS2M", {{"units", "m/s"}}},
                      {"ALLSKY_SFC_SW_DWN", {{"units", "MJ/m^2/day"}}},
                      {"PRECTOTCORR", {{"units", "mm/day"}}}};
  const Json body = {
      {"type", "Feature"},
      {"geometry",
       {{"type", "Point"},
        {"coordinates",
         {core::testing::kFallonLongitudeDeg, core::testing::kFallonLatitudeDeg, 1206.0}}}},
      {"properties", {{"parameter", parameter}}},
      {"header",
       {{"title", "NASA/POWER Source Native Resolution Daily Data"},
        {"fill_value", -999.0},
        {"time_standard", "LST"},
        {"start", yyyymmdd(days.front().date)},
        {"end", yyyymmdd(days.back().date)}}},
      {"messages", Json::array()},
      {"parameters", units}};
  return body.dump();
}

/// An Open-Meteo archive daily answer (timezone=America/Los_Angeles, wind_speed_unit=ms):
/// temperatures and wind to 1 decimal, radiation to 2, null where missing.
inline std::string open_meteo_archive_body(const std::vector<FallonDay>& days) {
  const auto value = [](double v, int decimals) {
    return std::isnan(v) ? Json() : Json(printed(v, decimals));
  };
  Json daily = {{"time", Json::array()}};
  const char* names[] = {
      "temperature_2m_max",       "temperature_2m_min",        "temperature_2m_mean",
      "relative_humidity_2m_max", "relative_humidity_2m_min",  "relative_humidity_2m_mean",
      "dew_point_2m_mean",        "wind_speed_10m_mean",       "shortwave_radiation_sum",
      "precipitation_sum",        "et0_fao_evapotranspiration"};
  for (const char* name : names) daily[name] = Json::array();
  for (const auto& day : days) {
    daily["time"].push_back(domain::format_iso_date(day.date));
    daily["temperature_2m_max"].push_back(value(day.tmax_c, 1));
    daily["temperature_2m_min"].push_back(value(day.tmin_c, 1));
    daily["dew_point_2m_mean"].push_back(value(day.tdew_c, 1));
    daily["wind_speed_10m_mean"].push_back(value(wind_at(day.wind_3m_m_s, 10.0), 1));
    daily["shortwave_radiation_sum"].push_back(value(day.rs_mj_m2, 2));
    for (const char* missing :
         {"temperature_2m_mean", "relative_humidity_2m_max", "relative_humidity_2m_min",
          "relative_humidity_2m_mean", "precipitation_sum", "et0_fao_evapotranspiration"}) {
      daily[missing].push_back(nullptr);
    }
  }
  const Json units = {{"time", "iso8601"},
                      {"temperature_2m_max", "°C"},
                      {"temperature_2m_min", "°C"},
                      {"temperature_2m_mean", "°C"},
                      {"relative_humidity_2m_max", "%"},
                      {"relative_humidity_2m_min", "%"},
                      {"relative_humidity_2m_mean", "%"},
                      {"dew_point_2m_mean", "°C"},
                      {"wind_speed_10m_mean", "m/s"},
                      {"shortwave_radiation_sum", "MJ/m²"},
                      {"precipitation_sum", "mm"},
                      {"et0_fao_evapotranspiration", "mm"}};
  const Json body = {{"latitude", 39.45},
                     {"longitude", -118.75},
                     {"generationtime_ms", 0.5},
                     {"utc_offset_seconds", -28800},
                     {"timezone", "America/Los_Angeles"},
                     {"timezone_abbreviation", "PST"},
                     {"elevation", 1208.0},
                     {"daily_units", units},
                     {"daily", daily}};
  return body.dump();
}

inline Json interaction(const std::string& uri, const std::string& body) {
  return {{"request", {{"method", "GET"}, {"uri", uri}}},
          {"response",
           {{"status", 200},
            {"headers", {{"content-type", "application/json"}}},
            {"body", {{"string", body}}}}}};
}

/// Writes `nasa_power_fallon_cassette.json` and `open_meteo_archive_fallon_cassette.json` into
/// `directory`, answering the requests the clients make for each of `ranges` at the station.
inline void write_fallon_cassettes(const std::filesystem::path& directory,
                                   const std::vector<sources::DateRange>& ranges) {
  const auto all = core::testing::read_fallon_daily();
  const sources::SourcesConfig config;
  const domain::Location station{core::testing::kFallonLatitudeDeg,
                                 core::testing::kFallonLongitudeDeg, std::nullopt};
  // The zone the pipeline asks Open-Meteo for (America/Los_Angeles).
  const auto zone = point_time_zone(station.latitude_deg, station.longitude_deg).zone;
  Json nasa = {{"http_interactions", Json::array()}};
  Json archive = {{"http_interactions", Json::array()}};
  for (const auto& range : ranges) {
    for (const auto& chunk :
         sources::split_date_range(range.start, range.end, config.nasa_power_chunk_days)) {
      nasa["http_interactions"].push_back(
          interaction(sources::nasa_power_url("", station, chunk.start, chunk.end),
                      nasa_power_body(days_in(all, chunk.start, chunk.end))));
    }
    for (const auto& chunk :
         sources::split_date_range(range.start, range.end, config.open_meteo_chunk_days)) {
      archive["http_interactions"].push_back(
          interaction(sources::open_meteo_url(domain::SourceId::open_meteo_archive, "", station,
                                              chunk.start, chunk.end, zone),
                      open_meteo_archive_body(days_in(all, chunk.start, chunk.end))));
    }
  }
  std::filesystem::create_directories(directory);
  std::ofstream(directory / "nasa_power_fallon_cassette.json") << nasa.dump();
  std::ofstream(directory / "open_meteo_archive_fallon_cassette.json") << archive.dump();
}

}  // namespace evapo::pipeline::testing
