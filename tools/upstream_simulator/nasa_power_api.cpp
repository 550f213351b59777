#include <algorithm>
#include <cctype>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "api_responses.hpp"
#include "climate_model.hpp"

namespace evapo::sim {

namespace {

using Json = nlohmann::ordered_json;

std::optional<domain::Date> parse_compact_date(const std::string* text) {
  if (text == nullptr || text->size() != 8) return std::nullopt;
  return domain::parse_iso_date(text->substr(0, 4) + "-" + text->substr(4, 2) + "-" +
                                text->substr(6, 2));
}

std::string compact(domain::Date date) {
  const std::string iso = domain::format_iso_date(date);
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

struct Parameter {
  const char* name;
  const char* longname;
  const char* units_ag;
  bool solar;
};

constexpr Parameter kParameters[] = {
    {"T2M", "Temperature at 2 Meters", "C", false},
    {"T2M_MAX", "Temperature at 2 Meters Maximum", "C", false},
    {"T2M_MIN", "Temperature at 2 Meters Minimum", "C", false},
    {"T2MDEW", "Dew/Frost Point at 2 Meters", "C", false},
    {"RH2M", "Relative Humidity at 2 Meters", "%", false},
    {"WS2M", "Wind Speed at 2 Meters", "m/s", false},
    {"WS10M", "Wind Speed at 10 Meters", "m/s", false},
    {"ALLSKY_SFC_SW_DWN", "All Sky Surface Shortwave Downward Irradiance", "MJ/m^2/day", true},
    {"TOA_SW_DWN", "Top-Of-Atmosphere Shortwave Downward Irradiance", "MJ/m^2/day", true},
    {"PRECTOTCORR", "Precipitation Corrected", "mm/day", false},
};

double value_of(const std::string& name, const SimDay& d) {
  if (name == "T2M") return d.tmean_c;
  if (name == "T2M_MAX") return d.tmax_c;
  if (name == "T2M_MIN") return d.tmin_c;
  if (name == "T2MDEW") return d.tdew_c;
  if (name == "RH2M") return d.rh_mean_pct;
  if (name == "WS2M") return d.wind2_m_s;
  if (name == "WS10M") return d.wind10_m_s;
  if (name == "ALLSKY_SFC_SW_DWN") return d.rs_mj_m2;
  if (name == "TOA_SW_DWN") return d.ra_mj_m2;
  return d.precip_mm;
}

Json error_body(const std::string& message) {
  return Json{{"header", "Invalid Request"}, {"messages", Json::array({message})}};
}

}  // namespace

SimResponse nasa_power_response(const Query& query, const ResponseContext& context) {
  const auto lat = query.number("latitude");
  const auto lon = query.number("longitude");
  const auto start = parse_compact_date(query.get("start"));
  const auto end = parse_compact_date(query.get("end"));
  const std::string* parameters = query.get("parameters");
  std::string community = query.get("community") ? *query.get("community") : "";
  std::transform(community.begin(), community.end(), community.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
    return json_response(
        422, error_body("latitude and longitude are required and must be within range").dump());
  }
  if (!start || !end || domain::days_between(*start, *end) < 0) {
    return json_response(
        422, error_body("start and end must be valid YYYYMMDD dates with start <= end").dump());
  }
  if (community != "AG" && community != "RE" && community != "SB") {
    return json_response(422, error_body("community must be one of AG, RE, SB").dump());
  }
  std::vector<const Parameter*> chosen;
  if (parameters != nullptr) {
    std::string_view rest = *parameters;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string name(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      const auto it = std::find_if(std::begin(kParameters), std::end(kParameters),
                                   [&](const Parameter& p) { return name == p.name; });
      if (it == std::end(kParameters)) {
        return json_response(
            422,
            error_body("The POWER Daily API parameter '" + name + "' is not recognized").dump());
      }
      chosen.push_back(&*it);
    }
  }
  if (chosen.empty() || chosen.size() > 20) {
    return json_response(422, error_body("between 1 and 20 parameters are required").dump());
  }
  const double elevation = point_elevation_m(context, *lat, *lon);
  const int days = domain::days_between(*start, *end) + 1;
  const int blank_from = context.missing_days > 0 ? days / 2 - context.missing_days / 2 : days;
  const bool kwh = community != "AG";
  // Day keys go into sorted maps (YYYYMMDD sorts by date): an ordered_json lookup per day
  // would be quadratic in the span.
  std::vector<nlohmann::json> values(chosen.size(), nlohmann::json::object());
  for (int i = 0; i < days; ++i) {
    const domain::Date date = domain::add_days(*start, i);
    const SimDay d = simulate_day(*lat, *lon, elevation, date, domain::SourceId::nasa_power);
    const int age = domain::days_between(date, context.today);
    const bool blank = i >= blank_from && i < blank_from + context.missing_days;
    for (std::size_t k = 0; k < chosen.size(); ++k) {
      const Parameter* p = chosen[k];
      // The newest days are not processed yet upstream: all values first, solar ones longer.
      const bool missing =
          blank || age < 2 || (p->solar && age < 7) ||
          date < domain::Date{std::chrono::year{1981}, std::chrono::January, std::chrono::day{1}};
      double value = value_of(p->name, d);
      if (p->solar && kwh) value /= 3.6;
      values[k].emplace(compact(date), missing ? -999.0 : round_to(value, 2));
    }
  }
  Json parameter = Json::object();
  for (std::size_t k = 0; k < chosen.size(); ++k) parameter[chosen[k]->name] = Json(values[k]);
  Json units = Json::object();
  for (const Parameter* p : chosen) {
    units[p->name] = {{"units", p->solar && kwh ? "kW-hr/m^2/day" : p->units_ag},
                      {"longname", p->longname}};
  }
  const Json body = {
      {"type", "Feature"},
      {"geometry", {{"type", "Point"}, {"coordinates", {*lon, *lat, round_to(elevation, 2)}}}},
      {"properties", {{"parameter", parameter}}},
      {"header",
       {{"title", "NASA/POWER Source Native Resolution Daily Data"},
        {"api", {{"version", "v2.9.2"}, {"name", "POWER Daily API"}}},
        {"sources", Json::array({"MERRA2", "POWER", "SYN1DEG"})},
        {"fill_value", -999.0},
        {"time_standard", query.get("time-standard") ? *query.get("time-standard") : "LST"},
        {"start", compact(*start)},
        {"end", compact(*end)}}},
      {"messages", Json::array()},
      {"parameters", units},
      {"times", {{"data", 0.41}, {"process", 0.02}}},
  };
  return json_response(200, body.dump());
}

}  // namespace evapo::sim
