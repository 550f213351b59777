#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include <evapo/sources/date_chunks.hpp>
#include <evapo/sources/json_guard.hpp>
#include <evapo/sources/nasa_power_client.hpp>
#include <evapo/sources/units.hpp>
#include <evapo/sources/upstream_error.hpp>

namespace evapo::sources {

namespace {

using domain::Date;
using domain::WeatherDay;
using Json = nlohmann::json;

// Values of one response before unit conversion: day -> parameter -> value (fill already NaN).
struct RawTable {
  std::map<std::string, std::string> units;           // parameter -> unit string as sent
  std::map<int, std::map<std::string, double>> days;  // sys_days count -> values
  double elevation_m = domain::kMissing;
  std::vector<std::string> warnings;
};

int day_key(Date date) {
  return static_cast<int>(std::chrono::sys_days{date}.time_since_epoch().count());
}

Date key_day(int key) {
  return Date{std::chrono::sys_days{std::chrono::days{key}}};
}

std::optional<Date> parse_yyyymmdd(std::string_view text) {
  if (text.size() != 8) return std::nullopt;
  const std::string iso = std::string(text.substr(0, 4)) + "-" + std::string(text.substr(4, 2)) +
                          "-" + std::string(text.substr(6, 2));
  return domain::parse_iso_date(iso);
}

std::string yyyymmdd(Date date) {
  const std::string iso = domain::format_iso_date(date);
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

// Conversion of one parameter's unit to evapo's SI unit; nullopt when not understood.
std::optional<UnitConverter> converter(const std::string& parameter, const std::string& unit) {
  const UnitConverter same = &same_unit;
  if (parameter == "T2M_MAX" || parameter == "T2M_MIN" || parameter == "T2M" ||
      parameter == "T2MDEW") {
    if (unit == "C") return same;
    if (unit == "K") return &kelvin_to_celsius;
    return std::nullopt;
  }
  if (parameter == "RH2M") return unit == "%" ? std::optional(same) : std::nullopt;
  if (parameter == "WS2M" || parameter == "WS10M")
    return unit == "m/s" ? std::optional(same) : std::nullopt;
  if (parameter == "ALLSKY_SFC_SW_DWN") {
    if (unit == "MJ/m^2/day") return same;
    if (unit == "kW-hr/m^2/day") return &kwh_to_mj;
    if (unit == "W/m^2") return +[](double v) { return v * 0.0864; };
    return std::nullopt;
  }
  if (parameter == "PRECTOTCORR") return unit == "mm/day" ? std::optional(same) : std::nullopt;
  return std::nullopt;
}

// The documented community-AG units, used when a response carries no units.
const std::map<std::string, std::string>& ag_units() {
  static const std::map<std::string, std::string> units = {{"T2M_MAX", "C"},
                                                           {"T2M_MIN", "C"},
                                                           {"T2M", "C"},
                                                           {"T2MDEW", "C"},
                                                           {"RH2M", "%"},
                                                           {"WS2M", "m/s"},
                                                           {"WS10M", "m/s"},
                                                           {"ALLSKY_SFC_SW_DWN", "MJ/m^2/day"},
                                                           {"PRECTOTCORR", "mm/day"}};
  return units;
}

domain::WeatherSeries to_series(RawTable table) {
  domain::WeatherSeries series;
  series.source = domain::SourceId::nasa_power;
  series.elevation_m = table.elevation_m;
  series.warnings = std::move(table.warnings);
  std::map<std::string, UnitConverter> conversions;
  for (const auto& [parameter, unit] : table.units) {
    if (auto c = converter(parameter, unit)) {
      conversions[parameter] = *c;
    } else if (ag_units().count(parameter) != 0) {
      series.warnings.push_back("nasa_power: unit '" + unit + "' of " + parameter +
                                " not understood; parameter ignored");
    }
  }
  const bool wind_at_2m = conversions.count("WS2M") != 0;
  // Days without any value (POWER's last days, not yet published) are left out; the pipeline
  // tells the user which days and variables a source lacks.
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one in the lambda below.
  for (const auto& entry : table.days) {
    const auto& key = entry.first;
    const auto& values = entry.second;
    WeatherDay day;
    day.date = key_day(key);
    bool any = false;
    auto take = [&](const char* parameter, double& field) {
      const auto conversion = conversions.find(parameter);
      if (conversion == conversions.end()) return;
      const auto value = values.find(parameter);
      if (value == values.end() || std::isnan(value->second)) return;
      field = conversion->second(value->second);
      any = true;
    };
    take("T2M_MAX", day.tmax_c);
    take("T2M_MIN", day.tmin_c);
    take("T2M", day.tmean_c);
    take("T2MDEW", day.tdew_c);
    take("RH2M", day.rh_mean_pct);
    take(wind_at_2m ? "WS2M" : "WS10M", day.wind_m_s);
    day.wind_height_m = wind_at_2m ? 2.0 : 10.0;
    take("ALLSKY_SFC_SW_DWN", day.rs_mj_m2);
    take("PRECTOTCORR", day.precip_mm);
    if (any) series.days.push_back(day);
  }
  return series;
}

double read_number(const Json& value, double fill) {
  if (!value.is_number()) return domain::kMissing;
  const double v = value.get<double>();
  // POWER marks missing data with its fill value (-999); nasapower also treats -99 as NA.
  if (std::abs(v - fill) < 1e-6 || v <= -99.0) return domain::kMissing;
  return v;
}

std::string first_message(const Json& body) {
  for (const char* key : {"message", "detail", "messages", "errors", "error"}) {
    if (!body.contains(key)) continue;
    const Json& value = body[key];
    if (value.is_string()) return value.get<std::string>();
    if (value.is_array() && !value.empty()) {
      const Json& first = value.front();
      if (first.is_string()) return first.get<std::string>();
      if (first.is_object() && first.contains("msg") && first["msg"].is_string()) {
        return first["msg"].get<std::string>();
      }
      return first.dump();
    }
  }
  return {};
}

}  // namespace

std::string nasa_power_url(std::string_view base_url, const domain::Location& location,
                           domain::Date start, domain::Date end) {
  char coordinates[96];
  std::snprintf(coordinates, sizeof coordinates, "&longitude=%.4f&latitude=%.4f",
                location.longitude_deg, location.latitude_deg);
  return std::string(base_url) + "/api/temporal/daily/point?parameters=" + kNasaPowerParameters +
         "&community=AG" + coordinates + "&start=" + yyyymmdd(start) + "&end=" + yyyymmdd(end) +
         "&format=JSON&time-standard=LST";
}

domain::Expected<domain::WeatherSeries> parse_nasa_power_json(std::string_view body) {
  return parse_guarded("nasa_power", [&]() -> domain::Expected<domain::WeatherSeries> {
    const Json json = Json::parse(body.begin(), body.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      return domain::fail(domain::Error::upstream("nasa_power: response is not valid JSON"));
    }
    if (json.value("type", "") == "FeatureCollection") {
      return domain::fail(domain::Error::upstream(
          "nasa_power: regional FeatureCollection, not a daily point response"));
    }
    const Json* parameter = nullptr;
    if (json.contains("properties") && json["properties"].is_object() &&
        json["properties"].contains("parameter") && json["properties"]["parameter"].is_object()) {
      parameter = &json["properties"]["parameter"];
    }
    if (parameter == nullptr) {
      std::string reason = first_message(json);
      return domain::fail(
          domain::Error::upstream("nasa_power: no properties.parameter in response" +
                                  (reason.empty() ? "" : ": " + reason)));
    }
    RawTable table;
    double fill = -999.0;
    if (json.contains("header") && json["header"].is_object() &&
        json["header"].contains("fill_value") && json["header"]["fill_value"].is_number()) {
      fill = json["header"]["fill_value"].get<double>();
    }
    const bool has_units = json.contains("parameters") && json["parameters"].is_object();
    for (const auto& [name, series] : parameter->items()) {
      if (!series.is_object()) continue;
      std::string unit;
      if (has_units && json["parameters"].contains(name) && json["parameters"][name].is_object()) {
        unit = json["parameters"][name].value("units", "");
      }
      if (unit.empty()) {
        const auto fallback = ag_units().find(name);
        if (fallback == ag_units().end()) continue;
        unit = fallback->second;
        table.warnings.push_back("nasa_power: no units for " + name +
                                 "; community AG units assumed");
      }
      table.units[name] = unit;
      for (const auto& [key, value] : series.items()) {
        const auto date = parse_yyyymmdd(key);
        if (!date) {
          return domain::fail(domain::Error::upstream(
              "nasa_power: time key '" + key + "' is not a day (YYYYMMDD): not a daily response"));
        }
        table.days[day_key(*date)][name] = read_number(value, fill);
      }
    }
    if (json.contains("geometry") && json["geometry"].is_object() &&
        json["geometry"].contains("coordinates") && json["geometry"]["coordinates"].is_array() &&
        json["geometry"]["coordinates"].size() >= 3 &&
        json["geometry"]["coordinates"][2].is_number()) {
      table.elevation_m = json["geometry"]["coordinates"][2].get<double>();
    }
    return to_series(std::move(table));
  });
}

namespace {

// `value` when it is a whole number in [low, high]; nullopt otherwise (NaN included).
std::optional<int> whole_number(double value, int low, int high) {
  if (!(value >= low && value <= high) || value != std::floor(value)) return std::nullopt;
  return static_cast<int>(value);
}

}  // namespace

domain::Expected<domain::WeatherSeries> parse_nasa_power_csv(std::string_view body) {
  RawTable table;
  double fill = -999.0;
  std::vector<std::string> columns;
  bool in_header = false;
  bool saw_header = false;
  std::size_t line_start = 0;
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\n'))
      s.remove_suffix(1);
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s;
  };
  while (line_start < body.size()) {
    std::size_t line_end = body.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = body.size();
    const std::string_view line = trim(body.substr(line_start, line_end - line_start));
    line_start = line_end + 1;
    if (line.empty()) continue;
    if (line == "-BEGIN HEADER-") {
      in_header = true;
      saw_header = true;
      continue;
    }
    if (line == "-END HEADER-") {
      in_header = false;
      continue;
    }
    if (in_header && line.rfind("YEAR,", 0) == 0)
      in_header = false;  // a header saved without its end mark
    if (in_header) {
      if (const auto eq = line.find("= ");
          eq != std::string_view::npos && line.find("meters") != std::string_view::npos) {
        table.elevation_m = std::strtod(std::string(line.substr(eq + 2)).c_str(), nullptr);
      } else if (line.find("value for missing") != std::string_view::npos) {
        const auto colon = line.rfind(':');
        if (colon != std::string_view::npos)
          fill = std::strtod(std::string(line.substr(colon + 1)).c_str(), nullptr);
      } else {
        const auto space = line.find(' ');
        const auto open = line.rfind('(');
        const auto close = line.rfind(')');
        if (space != std::string_view::npos && open != std::string_view::npos &&
            close == line.size() - 1 && open > space) {
          const std::string name(line.substr(0, space));
          if (ag_units().count(name) != 0 || name.rfind("T2M", 0) == 0) {
            table.units[name] = std::string(line.substr(open + 1, close - open - 1));
          }
        }
      }
      continue;
    }
    if (columns.empty()) {
      std::stringstream stream{std::string(line)};
      for (std::string column; std::getline(stream, column, ',');) columns.push_back(column);
      if (columns.size() < 3 || columns[0] != "YEAR") {
        return domain::fail(domain::Error::upstream("nasa_power: CSV has no YEAR column line"));
      }
      continue;
    }
    std::vector<double> values;
    std::stringstream stream{std::string(line)};
    for (std::string cell; std::getline(stream, cell, ',');) {
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      values.push_back(end == cell.c_str() ? domain::kMissing : v);
    }
    if (values.size() != columns.size()) {
      return domain::fail(domain::Error::upstream("nasa_power: CSV row with " +
                                                  std::to_string(values.size()) + " cells for " +
                                                  std::to_string(columns.size()) + " columns"));
    }
    std::optional<Date> date;
    std::size_t first_value = 0;
    // Date cells are whole numbers in range before any conversion (a NaN or 1e300 cast to int is
    // undefined behaviour; the fuzzer found it).
    const auto year = whole_number(values[0], 1, 9999);
    if (columns[1] == "DOY") {
      const auto doy = whole_number(values[1], 1, 366);
      if (year && doy) {
        const Date jan1{std::chrono::year{*year}, std::chrono::January, std::chrono::day{1}};
        date = domain::add_days(jan1, *doy - 1);
      }
      first_value = 2;
    } else if (columns.size() > 3 && columns[1] == "MO" && columns[2] == "DY") {
      const auto month = whole_number(values[1], 1, 12);
      const auto day_of_month = whole_number(values[2], 1, 31);
      if (year && month && day_of_month) {
        const Date d{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                     std::chrono::day{static_cast<unsigned>(*day_of_month)}};
        if (d.ok()) date = d;
      }
      first_value = 3;
    }
    if (!date)
      return domain::fail(domain::Error::upstream("nasa_power: CSV row without a valid date"));
    auto& day = table.days[day_key(*date)];
    for (std::size_t i = first_value; i < columns.size(); ++i) {
      const double v = values[i];
      day[columns[i]] = (std::abs(v - fill) < 1e-6 || v <= -99.0) ? domain::kMissing : v;
    }
  }
  if (columns.empty()) return domain::fail(domain::Error::upstream("nasa_power: CSV without data"));
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (table.units.count(columns[i]) != 0) continue;
    const auto fallback = ag_units().find(columns[i]);
    if (fallback == ag_units().end()) continue;
    table.units[columns[i]] = fallback->second;
    if (saw_header) {
      table.warnings.push_back("nasa_power: no unit for " + columns[i] +
                               "; community AG units assumed");
    }
  }
  if (!saw_header)
    table.warnings.push_back("nasa_power: CSV without header; community AG units assumed");
  return to_series(std::move(table));
}

domain::Error nasa_power_error(long status, std::string_view body) {
  std::string reason;
  try {
    const Json json = Json::parse(body.begin(), body.end(), nullptr, false);
    reason = json.is_object() ? first_message(json) : std::string{};
  } catch (const nlohmann::json::exception&) {
    reason.clear();  // an error body of an unexpected shape: fall back to its text
  }
  if (reason.empty()) reason = body_excerpt(body);
  return error_for_status("nasa_power", status, reason);
}

domain::Expected<domain::WeatherSeries> fetch_nasa_power(const FetchRequest& request,
                                                         const SourcesConfig& config,
                                                         HttpClient& http,
                                                         const FetchControl& control,
                                                         const TransferCallback& on_event) {
  const auto chunks =
      split_date_range(request.start_date, request.end_date, config.nasa_power_chunk_days);
  if (chunks.empty())
    return domain::fail(domain::Error::invalid_argument("nasa_power: empty date range"));
  std::vector<HttpRequest> requests;
  for (const auto& chunk : chunks) {
    requests.push_back(
        get_request(nasa_power_url(config.nasa_power_url, request.location, chunk.start, chunk.end),
                    "nasa_power", {"Accept: application/json"}));
  }
  auto responses = http.perform_all(requests, control, on_event);
  domain::WeatherSeries merged;
  merged.source = domain::SourceId::nasa_power;
  // POWER's days are local solar time days (time-standard=LST): the longitude's offset.
  merged.utc_offset_seconds =
      domain::TimeZone::from_longitude(request.location.longitude_deg).utc_offset_s(0);
  for (auto& response : responses) {
    if (!response) return domain::fail(response.error());
    if (response->status < 200 || response->status > 299) {
      return domain::fail(nasa_power_error(response->status, response->body));
    }
    auto series = parse_nasa_power_json(response->body);
    if (!series) return domain::fail(series.error());
    if (domain::is_missing(merged.elevation_m)) merged.elevation_m = series->elevation_m;
    merged.days.insert(merged.days.end(), series->days.begin(), series->days.end());
    merged.warnings.insert(merged.warnings.end(), series->warnings.begin(), series->warnings.end());
  }
  return merged;
}

}  // namespace evapo::sources
