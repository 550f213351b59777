#include <string>

#include <evapo/domain/date.hpp>
#include <evapo/domain/source_id.hpp>
#include <evapo/tasks/request_json.hpp>

namespace evapo::tasks {

namespace {

using domain::Error;
using domain::fail;

domain::Expected<domain::Date> date_field(const nlohmann::json& json, const char* field) {
  const auto it = json.find(field);
  if (it == json.end() || !it->is_string()) {
    return fail(Error::invalid_argument("stored request lacks a date", {{field, "missing"}}));
  }
  const auto date = domain::parse_iso_date(it->get<std::string>());
  if (!date) return fail(Error::invalid_argument("bad stored date", {{field, "not YYYY-MM-DD"}}));
  return *date;
}

domain::Expected<double> number_field(const nlohmann::json& json, const char* field) {
  const auto it = json.find(field);
  if (it == json.end() || !it->is_number()) {
    return fail(Error::invalid_argument("stored request lacks a number", {{field, "missing"}}));
  }
  return it->get<double>();
}

}  // namespace

nlohmann::json request_to_json(const pipeline::CalculationRequest& request) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto source : request.sources) sources.push_back(domain::to_string(source));
  nlohmann::json json{{"latitude", request.latitude_deg},
                      {"longitude", request.longitude_deg},
                      {"start_date", domain::format_iso_date(request.start_date)},
                      {"end_date", domain::format_iso_date(request.end_date)},
                      {"mode", pipeline::to_string(request.mode)},
                      {"sources", std::move(sources)}};
  if (request.elevation_m) json["elevation_m"] = *request.elevation_m;
  if (request.allow_sea) json["allow_sea"] = true;
  return json;
}

domain::Expected<pipeline::CalculationRequest> request_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return fail(Error::invalid_argument("stored request is not an object"));
  pipeline::CalculationRequest request;
  auto latitude = number_field(json, "latitude");
  if (!latitude) return fail(latitude.error());
  auto longitude = number_field(json, "longitude");
  if (!longitude) return fail(longitude.error());
  auto start = date_field(json, "start_date");
  if (!start) return fail(start.error());
  auto end = date_field(json, "end_date");
  if (!end) return fail(end.error());
  request.latitude_deg = *latitude;
  request.longitude_deg = *longitude;
  request.start_date = *start;
  request.end_date = *end;

  if (const auto mode = json.find("mode"); mode != json.end()) {
    const auto parsed =
        mode->is_string() ? pipeline::parse_mode(mode->get<std::string>()) : std::nullopt;
    if (!parsed)
      return fail(Error::invalid_argument("bad stored mode", {{"mode", "unknown mode"}}));
    request.mode = *parsed;
  }
  if (const auto sources = json.find("sources"); sources != json.end()) {
    if (!sources->is_array()) {
      return fail(Error::invalid_argument("bad stored sources", {{"sources", "not an array"}}));
    }
    for (const auto& item : *sources) {
      const auto id =
          item.is_string() ? domain::parse_source_id(item.get<std::string>()) : std::nullopt;
      if (!id) return fail(Error::invalid_argument("bad stored source", {{"sources", "unknown"}}));
      request.sources.push_back(*id);
    }
  }
  if (const auto elevation = json.find("elevation_m");
      elevation != json.end() && !elevation->is_null()) {
    if (!elevation->is_number()) {
      return fail(
          Error::invalid_argument("bad stored elevation", {{"elevation_m", "not a number"}}));
    }
    request.elevation_m = elevation->get<double>();
  }
  if (const auto allow_sea = json.find("allow_sea"); allow_sea != json.end()) {
    if (!allow_sea->is_boolean()) {
      return fail(
          Error::invalid_argument("bad stored allow_sea", {{"allow_sea", "not a boolean"}}));
    }
    request.allow_sea = allow_sea->get<bool>();
  }
  return request;
}

}  // namespace evapo::tasks
