#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include <evapo/core/hourly_to_daily.hpp>
#include <evapo/sources/iso_time.hpp>
#include <evapo/sources/json_guard.hpp>
#include <evapo/sources/nws_client.hpp>
#include <evapo/sources/units.hpp>
#include <evapo/sources/upstream_error.hpp>

namespace evapo::sources {

namespace {

using Json = nlohmann::json;
using core::HourlyVariable;
using core::IntervalKind;

std::optional<int> int_of(const Json& value) {
  if (value.is_number_integer()) return value.get<int>();
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    char* end = nullptr;
    const long parsed = std::strtol(text.c_str(), &end, 10);
    if (end != text.c_str() && *end == '\0') return static_cast<int>(parsed);
  }
  return std::nullopt;
}

struct Layer {
  const char* name;
  HourlyVariable variable;
  IntervalKind kind;
};

constexpr Layer kLayers[] = {
    {"temperature", HourlyVariable::temp_c, IntervalKind::level},
    {"maxTemperature", HourlyVariable::temp_max_c, IntervalKind::extreme},
    {"minTemperature", HourlyVariable::temp_min_c, IntervalKind::extreme},
    {"dewpoint", HourlyVariable::tdew_c, IntervalKind::level},
    {"relativeHumidity", HourlyVariable::rh_pct, IntervalKind::level},
    {"windSpeed", HourlyVariable::wind_m_s, IntervalKind::level},
    {"quantitativePrecipitation", HourlyVariable::precip_mm, IntervalKind::amount},
};

}  // namespace

bool nws_covers(const domain::Location& location) {
  const double lat = location.latitude_deg;
  const double lon = location.longitude_deg;
  const bool conus = lon >= -125.0 && lon <= -66.0 && lat >= 24.0 && lat <= 49.5;
  const bool alaska = lon >= -170.0 && lon <= -129.0 && lat >= 51.0 && lat <= 71.5;
  const bool hawaii = lon >= -161.0 && lon <= -154.0 && lat >= 18.5 && lat <= 22.5;
  const bool puerto_rico = lon >= -68.0 && lon <= -64.5 && lat >= 17.5 && lat <= 18.7;
  return conus || alaska || hawaii || puerto_rico;
}

std::string nws_points_url(std::string_view base_url, const domain::Location& location) {
  char path[96];
  std::snprintf(path, sizeof path, "/points/%.4f,%.4f", location.latitude_deg,
                location.longitude_deg);
  return std::string(base_url) + path;
}

std::string nws_gridpoints_url(std::string_view base_url, const NwsGridPoint& grid) {
  return std::string(base_url) + "/gridpoints/" + grid.grid_id + "/" + std::to_string(grid.grid_x) +
         "," + std::to_string(grid.grid_y);
}

domain::Expected<NwsGridPoint> parse_nws_points(std::string_view body) {
  return parse_guarded("nws", [&]() -> domain::Expected<NwsGridPoint> {
    const Json json = Json::parse(body.begin(), body.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("properties") ||
        !json["properties"].is_object()) {
      return domain::fail(domain::Error::upstream("nws: points response is not a JSON feature"));
    }
    const Json& p = json["properties"];
    NwsGridPoint grid;
    const auto x = p.contains("gridX") ? int_of(p["gridX"]) : std::nullopt;
    const auto y = p.contains("gridY") ? int_of(p["gridY"]) : std::nullopt;
    if (!p.contains("gridId") || !p["gridId"].is_string() || !x || !y) {
      return domain::fail(
          domain::Error::upstream("nws: points response without gridId/gridX/gridY"));
    }
    grid.grid_id = p["gridId"].get<std::string>();
    grid.grid_x = *x;
    grid.grid_y = *y;
    // The next URL is built from these: an office is a few letters, cells are small counts.
    const bool office_ok = grid.grid_id.size() >= 2 && grid.grid_id.size() <= 4 &&
                           std::all_of(grid.grid_id.begin(), grid.grid_id.end(), [](char c) {
                             return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                           });
    constexpr int kMaxGridCell = 10000;
    if (!office_ok || grid.grid_x < 0 || grid.grid_y < 0 || grid.grid_x > kMaxGridCell ||
        grid.grid_y > kMaxGridCell) {
      return domain::fail(domain::Error::upstream("nws: points response with an invalid grid"));
    }
    grid.time_zone = p.value("timeZone", "");
    return grid;
  });
}

domain::Expected<domain::WeatherSeries> parse_nws_gridpoints(std::string_view body,
                                                             const domain::TimeZone& zone,
                                                             domain::Date start, domain::Date end) {
  return parse_guarded("nws", [&]() -> domain::Expected<domain::WeatherSeries> {
    const Json json = Json::parse(body.begin(), body.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("properties") ||
        !json["properties"].is_object()) {
      return domain::fail(
          domain::Error::upstream("nws: gridpoints response is not a JSON feature"));
    }
    const Json& p = json["properties"];
    domain::WeatherSeries series;
    series.source = domain::SourceId::nws;
    series.utc_offset_seconds = zone.utc_offset_s(zone.day_start_utc_s(start));
    if (p.contains("elevation") && p["elevation"].is_object() && p["elevation"].contains("value") &&
        p["elevation"]["value"].is_number()) {
      series.elevation_m = p["elevation"]["value"].get<double>();
    }
    core::HourlyTable table;
    int layers_read = 0;
    for (const Layer& layer : kLayers) {
      if (!p.contains(layer.name) || !p[layer.name].is_object()) continue;
      const Json& data = p[layer.name];
      const std::string uom = data.contains("uom") && data["uom"].is_string()
                                  ? data["uom"].get<std::string>()
                              : data.contains("unitCode") && data["unitCode"].is_string()
                                  ? data["unitCode"].get<std::string>()
                                  : std::string{};
      // A precipitation depth sent in metres becomes mm.
      const bool metres_of_precipitation =
          layer.kind == IntervalKind::amount && uom.ends_with(":m");
      const UnitConverter convert = metres_of_precipitation ? &m_to_mm : wmo_unit_converter(uom);
      if (convert == nullptr || !data.contains("values") || !data["values"].is_array()) {
        series.warnings.push_back(std::string("nws: layer ") + layer.name + " with unit '" + uom +
                                  "' ignored");
        continue;
      }
      ++layers_read;
      int malformed = 0;
      for (const Json& item : data["values"]) {
        if (!item.is_object() || !item.contains("validTime") || !item["validTime"].is_string()) {
          ++malformed;
          continue;
        }
        const std::string valid_time = item["validTime"].get<std::string>();
        const auto slash = valid_time.find('/');
        const auto t0 = slash == std::string::npos
                            ? std::nullopt
                            : parse_iso_utc_seconds(std::string_view(valid_time).substr(0, slash));
        const auto duration =
            slash == std::string::npos
                ? std::nullopt
                : parse_iso_duration_seconds(std::string_view(valid_time).substr(slash + 1));
        if (!t0 || !duration) {
          ++malformed;
          continue;
        }
        if (!item.contains("value") || !item["value"].is_number()) continue;  // null: missing
        table.add_interval(layer.variable, {*t0, *duration, convert(item["value"].get<double>())},
                           layer.kind);
      }
      if (malformed > 0) {
        series.warnings.push_back(std::string("nws: ") + std::to_string(malformed) +
                                  " malformed validTime(s) in " + layer.name);
      }
    }
    if (layers_read == 0)
      return domain::fail(domain::Error::upstream("nws: gridpoints response has no usable layer"));
    // Days the forecast covers only in part come out empty and are left out (the pipeline
    // tells the user which days a source lacks).
    for (const auto& day : table.to_local_days(zone, 10.0)) {
      if (domain::days_between(start, day.date) < 0 || domain::days_between(day.date, end) < 0)
        continue;
      if (std::isnan(day.tmax_c) && std::isnan(day.rh_mean_pct) && std::isnan(day.wind_m_s)) {
        continue;
      }
      series.days.push_back(day);
    }
    return series;
  });
}

domain::Error nws_error(long status, std::string_view body) {
  std::string reason;
  try {
    const Json json = Json::parse(body.begin(), body.end(), nullptr, false);
    if (json.is_object()) {
      reason = json.value("title", "");
      const std::string detail = json.value("detail", "");
      if (!detail.empty()) reason += (reason.empty() ? "" : ": ") + detail;
    }
  } catch (const nlohmann::json::exception&) {
    reason.clear();  // an error body of an unexpected shape: fall back to its text
  }
  if (reason.empty()) reason = body_excerpt(body);
  return error_for_status("nws", status, reason);
}

domain::Expected<domain::WeatherSeries> fetch_nws(const FetchRequest& request,
                                                  const SourcesConfig& config, HttpClient& http,
                                                  const FetchControl& control,
                                                  const TransferCallback& on_event) {
  if (!nws_covers(request.location)) {
    return domain::fail(
        domain::Error::not_found("nws: the point is outside the NWS coverage (USA only)"));
  }
  const std::vector<std::string> headers = {"Accept: application/geo+json"};
  auto points =
      http.perform(get_request(nws_points_url(config.nws_url, request.location), "nws", headers),
                   control, on_event);
  if (!points) return domain::fail(points.error());
  if (points->status < 200 || points->status > 299)
    return domain::fail(nws_error(points->status, points->body));
  auto grid = parse_nws_points(points->body);
  if (!grid) return domain::fail(grid.error());
  auto raw = http.perform(get_request(nws_gridpoints_url(config.nws_url, *grid), "nws", headers),
                          control, on_event);
  if (!raw) return domain::fail(raw.error());
  if (raw->status < 200 || raw->status > 299)
    return domain::fail(nws_error(raw->status, raw->body));
  auto series = parse_nws_gridpoints(raw->body, effective_time_zone(request), request.start_date,
                                     request.end_date);
  if (!series) return series;
  if (series->days.empty()) {
    return domain::fail(domain::Error::unavailable("nws: no forecast days in the requested range"));
  }
  return series;
}

}  // namespace evapo::sources
