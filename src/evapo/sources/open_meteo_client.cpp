#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include <evapo/domain/source_id.hpp>
#include <evapo/sources/date_chunks.hpp>
#include <evapo/sources/json_guard.hpp>
#include <evapo/sources/open_meteo_client.hpp>
#include <evapo/sources/units.hpp>
#include <evapo/sources/upstream_error.hpp>

namespace evapo::sources {

namespace {

using Json = nlohmann::json;
using domain::WeatherDay;

// Conversion of a daily_units string to evapo's SI unit; nullptr when not understood.
UnitConverter converter(const std::string& unit) {
  static const std::map<std::string, UnitConverter> table = {
      {"°C", &same_unit},    {"°F", &fahrenheit_to_celsius}, {"%", &same_unit},
      {"m/s", &same_unit},   {"km/h", &km_h_to_m_s},         {"mph", &mph_to_m_s},
      {"mp/h", &mph_to_m_s}, {"kn", &knots_to_m_s},          {"MJ/m²", &same_unit},
      {"mm", &same_unit},    {"inch", &inch_to_mm},
  };
  const auto it = table.find(unit);
  return it == table.end() ? nullptr : it->second;
}

struct Field {
  const char* variable;
  double WeatherDay::*member;
};

constexpr Field kFields[] = {
    {"temperature_2m_max", &WeatherDay::tmax_c},
    {"temperature_2m_min", &WeatherDay::tmin_c},
    {"temperature_2m_mean", &WeatherDay::tmean_c},
    {"relative_humidity_2m_max", &WeatherDay::rh_max_pct},
    {"relative_humidity_2m_min", &WeatherDay::rh_min_pct},
    {"relative_humidity_2m_mean", &WeatherDay::rh_mean_pct},
    {"dew_point_2m_mean", &WeatherDay::tdew_c},
    {"wind_speed_10m_mean", &WeatherDay::wind_m_s},
    {"shortwave_radiation_sum", &WeatherDay::rs_mj_m2},
    {"precipitation_sum", &WeatherDay::precip_mm},
    {"et0_fao_evapotranspiration", &WeatherDay::upstream_eto_mm},
};

std::string reason_of(const Json& json) {
  if (json.is_object() && json.contains("reason") && json["reason"].is_string()) {
    return json["reason"].get<std::string>();
  }
  return {};
}

// A zone name as a query value: '/' kept, '+' and anything unusual percent-encoded.
std::string query_value(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '~' || c == '/';
    if (plain) {
      out += c;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      out += escaped;
    }
  }
  return out;
}

}  // namespace

std::string open_meteo_url(domain::SourceId source, std::string_view base_url,
                           const domain::Location& location, domain::Date start, domain::Date end,
                           const domain::TimeZone& zone) {
  char coordinates[96];
  std::snprintf(coordinates, sizeof coordinates, "?latitude=%.4f&longitude=%.4f",
                location.latitude_deg, location.longitude_deg);
  const char* path =
      source == domain::SourceId::open_meteo_archive ? "/v1/archive" : "/v1/forecast";
  return std::string(base_url) + path + coordinates +
         "&start_date=" + domain::format_iso_date(start) +
         "&end_date=" + domain::format_iso_date(end) + "&daily=" + kOpenMeteoDailyVariables +
         "&timezone=" +
         (zone.source() == domain::TimeZoneSource::longitude ? std::string("auto")
                                                             : query_value(zone.name())) +
         "&wind_speed_unit=ms";
}

domain::Expected<domain::WeatherSeries> parse_open_meteo_daily(domain::SourceId source,
                                                               std::string_view body) {
  return parse_guarded(domain::to_string(source), [&]() -> domain::Expected<domain::WeatherSeries> {
    const std::string tag(domain::to_string(source));
    const Json json = Json::parse(body.begin(), body.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      return domain::fail(domain::Error::upstream(tag + ": response is not valid JSON"));
    }
    if (json.value("error", false)) {
      return domain::fail(domain::Error::upstream(tag + ": " + reason_of(json)));
    }
    if (!json.contains("daily") || !json["daily"].is_object() || !json["daily"].contains("time") ||
        !json["daily"]["time"].is_array()) {
      return domain::fail(domain::Error::upstream(tag + ": response has no daily.time"));
    }
    const Json& daily = json["daily"];
    const Json& times = daily["time"];
    domain::WeatherSeries series;
    series.source = source;
    if (json.contains("utc_offset_seconds") && json["utc_offset_seconds"].is_number_integer()) {
      // Local days are UTC + this offset: no zone is more than 14 h from UTC.
      const auto offset = json["utc_offset_seconds"].get<std::int64_t>();
      constexpr std::int64_t kMaxOffsetS = 18 * 3600;
      if (offset < -kMaxOffsetS || offset > kMaxOffsetS) {
        return domain::fail(domain::Error::upstream(tag + ": utc_offset_seconds out of range"));
      }
      series.utc_offset_seconds = static_cast<int>(offset);
    }
    if (json.contains("elevation") && json["elevation"].is_number()) {
      const double elevation_m = json["elevation"].get<double>();
      // Only a height some ground has; anything else (an overflowing number) is no elevation.
      if (std::isfinite(elevation_m) && elevation_m >= -11000.0 && elevation_m <= 9000.0) {
        series.elevation_m = elevation_m;
      }
    }
    std::vector<WeatherDay> days(times.size());
    for (std::size_t i = 0; i < times.size(); ++i) {
      const auto date =
          times[i].is_string() ? domain::parse_iso_date(times[i].get<std::string>()) : std::nullopt;
      if (!date) {
        return domain::fail(domain::Error::upstream(tag + ": daily.time[" + std::to_string(i) +
                                                    "] is not a YYYY-MM-DD day"));
      }
      // A series is one value per day in order (WeatherSeries); a repeated or earlier day would
      // be merged or misplaced downstream (found by fuzz_open_meteo).
      if (i > 0 && !(days[i - 1].date < *date)) {
        return domain::fail(domain::Error::upstream(tag + ": daily.time[" + std::to_string(i) +
                                                    "] does not follow the day before it"));
      }
      days[i].date = *date;
      days[i].wind_height_m = 10.0;
    }
    const Json empty_units = Json::object();
    const Json& units = json.contains("daily_units") && json["daily_units"].is_object()
                            ? json["daily_units"]
                            : empty_units;
    // Days without any value (the archive's last days, not yet published) are left out; the
    // pipeline tells the user which days and variables a source lacks.
    std::vector<bool> has_value(days.size(), false);
    for (const Field& field : kFields) {
      if (!daily.contains(field.variable)) continue;
      const Json& values = daily[field.variable];
      if (!values.is_array() || values.size() != days.size()) {
        series.warnings.push_back(tag + ": " + field.variable +
                                  " does not match daily.time; ignored");
        continue;
      }
      const std::string unit = units.contains(field.variable) && units[field.variable].is_string()
                                   ? units[field.variable].get<std::string>()
                                   : std::string{};
      const UnitConverter convert = unit.empty() ? &same_unit : converter(unit);
      if (convert == nullptr) {
        series.warnings.push_back(tag + ": unit '" + unit + "' of " + field.variable +
                                  " not understood; ignored");
        continue;
      }
      for (std::size_t i = 0; i < days.size(); ++i) {
        if (values[i].is_number()) {
          days[i].*field.member = convert(values[i].get<double>());
          has_value[i] = true;
        }
      }
    }
    for (std::size_t i = 0; i < days.size(); ++i) {
      if (has_value[i]) series.days.push_back(days[i]);
    }
    return series;
  });
}

domain::Error open_meteo_error(long status, std::string_view body) {
  std::string reason;
  try {
    const Json json = Json::parse(body.begin(), body.end(), nullptr, false);
    reason = reason_of(json);
  } catch (const nlohmann::json::exception&) {
    reason.clear();  // an error body of an unexpected shape: fall back to its text
  }
  if (reason.empty()) reason = body_excerpt(body);
  return error_for_status("open_meteo", status, reason);
}

domain::Expected<domain::WeatherSeries> fetch_open_meteo(
    domain::SourceId source, const FetchRequest& request, const SourcesConfig& config,
    HttpClient& http, const FetchControl& control, const TransferCallback& on_event) {
  const std::string tag(domain::to_string(source));
  const std::string& base = source == domain::SourceId::open_meteo_archive
                                ? config.open_meteo_archive_url
                                : config.open_meteo_forecast_url;
  const auto chunks =
      split_date_range(request.start_date, request.end_date, config.open_meteo_chunk_days);
  if (chunks.empty())
    return domain::fail(domain::Error::invalid_argument(tag + ": empty date range"));
  const domain::TimeZone zone = effective_time_zone(request);
  std::vector<HttpRequest> requests;
  for (const auto& chunk : chunks) {
    requests.push_back(
        get_request(open_meteo_url(source, base, request.location, chunk.start, chunk.end, zone),
                    tag, {"Accept: application/json"}));
  }
  auto responses = http.perform_all(requests, control, on_event);
  domain::WeatherSeries merged;
  merged.source = source;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    auto& response = responses[i];
    if (!response) return domain::fail(response.error());
    if (response->status < 200 || response->status > 299) {
      domain::Error error = open_meteo_error(response->status, response->body);
      error.message = tag + error.message.substr(std::string_view("open_meteo").size());
      return domain::fail(std::move(error));
    }
    auto series = parse_open_meteo_daily(source, response->body);
    if (!series) return domain::fail(series.error());
    if (i == 0) {
      merged.utc_offset_seconds = series->utc_offset_seconds;
      merged.elevation_m = series->elevation_m;
    }
    merged.days.insert(merged.days.end(), series->days.begin(), series->days.end());
    merged.warnings.insert(merged.warnings.end(), series->warnings.begin(), series->warnings.end());
  }
  return merged;
}

}  // namespace evapo::sources
