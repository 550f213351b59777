#include <optional>
#include <string_view>
#include <string>

#include <evapo/domain/date.hpp>
#include <evapo/domain/source_id.hpp>
#include <evapo/io/station_eto.hpp>
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

template <class T>
domain::Expected<T> named_option(const nlohmann::json& json, const char* field,
                                 std::optional<T> (*parse)(std::string_view), T fallback) {
  const auto it = json.find(field);
  if (it == json.end()) return fallback;
  const auto parsed = it->is_string() ? parse(it->get<std::string>()) : std::nullopt;
  if (!parsed) return fail(Error::invalid_argument("bad stored option", {{field, "unknown"}}));
  return *parsed;
}

domain::Expected<pipeline::DatasetCalculation> dataset_from_json(const nlohmann::json& json) {
  const auto id = json.find("id");
  if (!json.is_object() || id == json.end() || !id->is_string()) {
    return fail(Error::invalid_argument("stored dataset request lacks an id", {{"dataset", "id"}}));
  }
  pipeline::DatasetCalculation dataset;
  dataset.dataset_id = id->get<std::string>();
  auto method = named_option(json, "method", io::parse_method, dataset.eto.method);
  auto rso = named_option(json, "rso", io::parse_rso, dataset.eto.rso);
  auto timestamp = named_option(json, "timestamp", io::parse_timestamp, dataset.eto.timestamp);
  auto constants = named_option(json, "constants", io::parse_constants, dataset.eto.constants);
  if (!method) return fail(method.error());
  if (!rso) return fail(rso.error());
  if (!timestamp) return fail(timestamp.error());
  if (!constants) return fail(constants.error());
  dataset.eto.method = *method;
  dataset.eto.rso = *rso;
  dataset.eto.timestamp = *timestamp;
  dataset.eto.constants = *constants;
  const auto compare = json.find("compare");
  if (compare != json.end() && compare->is_boolean() && compare->get<bool>()) {
    dataset.comparison = pipeline::Comparison::public_sources;
  }
  return dataset;
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
  if (request.dataset) {
    const auto& dataset = *request.dataset;
    json["dataset"] = {
        {"id", dataset.dataset_id},
        {"method", io::to_string(dataset.eto.method)},
        {"rso", io::to_string(dataset.eto.rso)},
        {"timestamp", io::to_string(dataset.eto.timestamp)},
        {"constants", io::to_string(dataset.eto.constants)},
        {"compare", dataset.comparison == pipeline::Comparison::public_sources}};
  }
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
  if (const auto dataset = json.find("dataset"); dataset != json.end() && !dataset->is_null()) {
    auto parsed = dataset_from_json(*dataset);
    if (!parsed) return fail(parsed.error());
    request.dataset = std::move(*parsed);
  }
  return request;
}

}  // namespace evapo::tasks
