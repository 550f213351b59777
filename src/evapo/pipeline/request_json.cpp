#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <evapo/domain/date.hpp>
#include <evapo/domain/source_id.hpp>
#include <evapo/io/station_eto.hpp>
#include <evapo/pipeline/request_json.hpp>

namespace evapo::pipeline {
namespace {

using domain::ErrorDetail;
using nlohmann::json;

const std::set<std::string> kKnownFields = {"latitude", "longitude",   "start_date",
                                            "end_date", "mode",        "sources",
                                            "method",   "elevation_m", "allow_sea"};

std::optional<double> number_in(const json& body, const char* field, double min_value,
                                double max_value, bool required, std::vector<ErrorDetail>& out) {
  const auto found = body.find(field);
  if (found == body.end() || found->is_null()) {
    if (required) out.push_back({field, "required"});
    return std::nullopt;
  }
  if (!found->is_number()) {
    out.push_back({field, "must be a number"});
    return std::nullopt;
  }
  const double value = found->get<double>();
  if (!std::isfinite(value) || value < min_value || value > max_value) {
    out.push_back(
        {field, "must be between " + json(min_value).dump() + " and " + json(max_value).dump()});
    return std::nullopt;
  }
  return value;
}

std::optional<domain::Date> date_field(const json& body, const char* field,
                                       std::vector<ErrorDetail>& out) {
  const auto found = body.find(field);
  if (found == body.end() || found->is_null()) {
    out.push_back({field, "required"});
    return std::nullopt;
  }
  if (!found->is_string()) {
    out.push_back({field, "must be a string YYYY-MM-DD"});
    return std::nullopt;
  }
  auto date = domain::parse_iso_date(found->get<std::string>());
  if (!date) out.push_back({field, "must be a real calendar day written YYYY-MM-DD"});
  return date;
}

template <class T>
void named_option(const json& dataset, const char* field,
                  std::optional<T> (*parse)(std::string_view), T& out,
                  std::vector<ErrorDetail>& problems) {
  const auto found = dataset.find(field);
  if (found == dataset.end() || found->is_null()) return;
  const auto parsed = found->is_string() ? parse(found->get<std::string>()) : std::nullopt;
  if (parsed) {
    out = *parsed;
  } else {
    problems.push_back({std::string("dataset.") + field, "unknown option"});
  }
}

std::optional<DatasetCalculation> dataset_field(const json& dataset,
                                                std::vector<ErrorDetail>& problems) {
  const auto id = dataset.is_object() ? dataset.find("id") : dataset.end();
  if (id == dataset.end() || !id->is_string()) {
    problems.push_back({"dataset.id", "required"});
    return std::nullopt;
  }
  DatasetCalculation out;
  out.dataset_id = id->get<std::string>();
  named_option(dataset, "method", io::parse_method, out.eto.method, problems);
  named_option(dataset, "rso", io::parse_rso, out.eto.rso, problems);
  named_option(dataset, "timestamp", io::parse_timestamp, out.eto.timestamp, problems);
  named_option(dataset, "constants", io::parse_constants, out.eto.constants, problems);
  if (const auto compare = dataset.find("compare");
      compare != dataset.end() && compare->is_boolean() && compare->get<bool>()) {
    out.comparison = Comparison::public_sources;
  }
  return out;
}

}  // namespace

json request_to_json(const CalculationRequest& request) {
  json sources = json::array();
  for (const auto source : request.sources) sources.push_back(domain::to_string(source));
  json out{{"latitude", request.latitude_deg},
           {"longitude", request.longitude_deg},
           {"start_date", domain::format_iso_date(request.start_date)},
           {"end_date", domain::format_iso_date(request.end_date)},
           {"mode", to_string(request.mode)},
           {"sources", std::move(sources)}};
  if (request.elevation_m) out["elevation_m"] = *request.elevation_m;
  // A recovered task must not be refused over the sea when its submission allowed it.
  if (request.allow_sea) out["allow_sea"] = true;
  if (request.dataset) {
    const auto& dataset = *request.dataset;
    out["dataset"] = {{"id", dataset.dataset_id},
                      {"method", io::to_string(dataset.eto.method)},
                      {"rso", io::to_string(dataset.eto.rso)},
                      {"timestamp", io::to_string(dataset.eto.timestamp)},
                      {"constants", io::to_string(dataset.eto.constants)},
                      {"compare", dataset.comparison == Comparison::public_sources}};
  }
  return out;
}

domain::Expected<CalculationRequest> parse_calculation_request(const json& body,
                                                               RequestOrigin origin) {
  std::vector<ErrorDetail> problems;
  if (!body.is_object()) {
    return domain::fail(domain::Error::invalid_argument("the request body must be a JSON object",
                                                        {{"body", "must be a JSON object"}}));
  }
  for (const auto& [name, value] : body.items()) {
    const bool known =
        kKnownFields.contains(name) || (name == "dataset" && origin == RequestOrigin::stored);
    if (!known) problems.push_back({name, "unknown field"});
  }
  CalculationRequest request;
  const auto latitude = number_in(body, "latitude", -90.0, 90.0, true, problems);
  const auto longitude = number_in(body, "longitude", -180.0, 180.0, true, problems);
  const auto elevation = number_in(body, "elevation_m", -500.0, 9000.0, false, problems);
  const auto start = date_field(body, "start_date", problems);
  const auto end = date_field(body, "end_date", problems);
  if (start && end && domain::days_between(*start, *end) < 0) {
    problems.push_back({"end_date", "must not be before start_date"});
  }

  if (const auto mode = body.find("mode"); mode != body.end() && !mode->is_null()) {
    const auto parsed = mode->is_string() ? parse_mode(mode->get<std::string>()) : std::nullopt;
    if (parsed) {
      request.mode = *parsed;
    } else {
      problems.push_back({"mode", "must be one of historical, recent, forecast"});
    }
  }

  if (const auto sources = body.find("sources"); sources != body.end() && !sources->is_null()) {
    if (!sources->is_array()) {
      problems.push_back({"sources", "must be an array of source ids"});
    } else {
      for (std::size_t i = 0; i < sources->size(); ++i) {
        const auto& item = (*sources)[i];
        std::optional<domain::SourceId> id;
        if (item.is_string()) id = domain::parse_source_id(item.get<std::string>());
        const std::string field = "sources[" + std::to_string(i) + "]";
        if (!id.has_value()) {
          problems.push_back({field,
                              "unknown source; use nasa_power, open_meteo_archive, "
                              "open_meteo_forecast, met_norway or nws"});
        } else if (std::find(request.sources.begin(), request.sources.end(), id.value()) !=
                   request.sources.end()) {
          problems.push_back({field, "listed twice"});
        } else {
          request.sources.push_back(id.value());
        }
      }
    }
  }

  if (const auto method = body.find("method"); method != body.end() && !method->is_null()) {
    if (!method->is_string() || method->get<std::string>() != "penman_monteith") {
      problems.push_back({"method", "must be penman_monteith"});
    }
  }

  if (const auto allow_sea = body.find("allow_sea");
      allow_sea != body.end() && !allow_sea->is_null()) {
    if (allow_sea->is_boolean()) {
      request.allow_sea = allow_sea->get<bool>();
    } else {
      problems.push_back({"allow_sea", "must be true or false"});
    }
  }

  if (const auto dataset = body.find("dataset");
      origin == RequestOrigin::stored && dataset != body.end() && !dataset->is_null()) {
    request.dataset = dataset_field(*dataset, problems);
  }

  if (!problems.empty()) {
    return domain::fail(
        domain::Error::invalid_argument("the request has invalid fields", std::move(problems)));
  }
  request.latitude_deg = *latitude;
  request.longitude_deg = *longitude;
  request.start_date = *start;
  request.end_date = *end;
  request.elevation_m = elevation;
  return request;
}

}  // namespace evapo::pipeline
