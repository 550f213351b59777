#include <charconv>
#include <optional>

#include <nlohmann/json.hpp>

#include <evapo/datasets/dataset_records.hpp>
#include <evapo/io/station_eto.hpp>
#include <evapo/server/dataset_handler.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/json_body.hpp>
#include <evapo/server/task_submission.hpp>
#include <evapo/server/workspace_services.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

constexpr std::int64_t kDefaultRowLimit = 100;
constexpr std::int64_t kMaxRowLimit = 5000;

std::optional<std::int64_t> integer_parameter(const HttpRequest& request, std::string_view name,
                                              std::int64_t fallback, std::int64_t min,
                                              std::int64_t max) {
  const std::string text = query_parameter(request.target(), name);
  if (text.empty()) return fallback;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

HttpResponse list_datasets(WorkspaceServices& services, const HttpRequest& request) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  auto records = services.stores.datasets->list(caller->scope());
  if (!records) return error_response(request, records.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& record : *records) {
    auto meta = datasets::parse_meta(record.meta_json);
    if (!meta) return error_response(request, meta.error());
    items.push_back(datasets::dataset_json(record, *meta));
  }
  return json_response(request, http::status::ok, json_text(nlohmann::json{{"datasets", items}}));
}

HttpResponse get_dataset(WorkspaceServices& services, const HttpRequest& request,
                         const PathParams& params) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  auto found = find_visible_dataset(services, request, *caller, params.at("dataset_id"));
  if (!found) return std::move(found.error());
  return json_response(request, http::status::ok,
                       json_text(datasets::dataset_json(found->record, found->meta)));
}

HttpResponse get_rows(WorkspaceServices& services, const HttpRequest& request,
                      const PathParams& params) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  auto found = find_visible_dataset(services, request, *caller, params.at("dataset_id"));
  if (!found) return std::move(found.error());
  std::vector<domain::ErrorDetail> problems;
  const auto offset = integer_parameter(request, "offset", 0, 0, INT64_MAX);
  if (!offset) problems.push_back({"offset", "must be an integer >= 0"});
  const auto limit = integer_parameter(request, "limit", kDefaultRowLimit, 1, kMaxRowLimit);
  if (!limit) problems.push_back({"limit", "must be an integer between 1 and 5000"});
  if (!problems.empty()) {
    return error_response(request,
                          domain::Error::invalid_argument("invalid query", std::move(problems)));
  }
  auto rows =
      datasets::rows_json(*services.stores.datasets, found->record, found->meta, *offset, *limit);
  if (!rows) return error_response(request, rows.error());
  return json_response(request, http::status::ok, rows->dump());
}

HttpResponse delete_dataset(WorkspaceServices& services, const HttpRequest& request,
                            const PathParams& params) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  auto found = find_visible_dataset(services, request, *caller, params.at("dataset_id"));
  if (!found) return std::move(found.error());
  auto removed = services.stores.datasets->remove(found->record.id);
  if (!removed) return error_response(request, removed.error());
  services.publish_activity("dataset", "deleted", found->record.id,
                            {{"rows", found->record.row_count}});
  HttpResponse response{http::status::no_content, request.version()};
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

// The `evapo eto` options of a calculation body, by the CLI's names and values.
domain::Expected<pipeline::DatasetCalculation> parse_options(const nlohmann::json& body,
                                                             const std::string& dataset_id) {
  pipeline::DatasetCalculation job;
  job.dataset_id = dataset_id;
  std::vector<domain::ErrorDetail> problems;
  const auto option = [&]<class T>(const char* field, std::optional<T> (*parse)(std::string_view),
                                   T& target, const char* allowed) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null()) return;
    const auto parsed = it->is_string() ? parse(it->template get<std::string>()) : std::nullopt;
    if (!parsed) {
      problems.push_back({field, std::string("must be one of ") + allowed});
    } else {
      target = *parsed;
    }
  };
  option("method", io::parse_method, job.eto.method, "fao56, asce-short, asce-tall, hargreaves");
  option("rso", io::parse_rso, job.eto.rso, "simple, full");
  option("timestamp", io::parse_timestamp, job.eto.timestamp, "end, start");
  option("constants", io::parse_constants, job.eto.constants, "standard, ref-et");
  if (const auto it = body.find("compare"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      problems.push_back({"compare", "must be true or false"});
    } else if (it->get<bool>()) {
      job.comparison = pipeline::Comparison::public_sources;
    }
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "method" && key != "rso" && key != "timestamp" && key != "constants" &&
        key != "compare") {
      problems.push_back({key, "unknown option"});
    }
  }
  if (!problems.empty()) {
    return domain::fail(domain::Error::invalid_argument("invalid options", std::move(problems)));
  }
  return job;
}

HttpResponse create_calculation(WorkspaceServices& services, ServerState& state,
                                const HttpRequest& request, const PathParams& params) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  auto found = find_visible_dataset(services, request, *caller, params.at("dataset_id"));
  if (!found) return std::move(found.error());
  auto body = json_object_body(request, EmptyBody::is_empty_object);
  if (!body) return std::move(body.error());
  auto job = parse_options(*body, found->record.id);
  if (!job) return error_response(request, job.error());
  if (job->eto.method == core::Method::hargreaves && found->meta.timestep == io::Timestep::hourly) {
    return error_response(request, domain::Error::invalid_argument(
                                       "the dataset is hourly",
                                       {{"method", "hargreaves is daily only (FAO-56 Eq. 52)"}}));
  }
  const auto& site = found->meta.site;
  const auto& period = found->meta.stats.value("period", nlohmann::json());
  pipeline::CalculationRequest calculation;
  calculation.latitude_deg = site.value("latitude_deg", nlohmann::json()).is_number()
                                 ? site["latitude_deg"].get<double>()
                                 : 0.0;
  calculation.longitude_deg = site.value("longitude_deg", nlohmann::json()).is_number()
                                  ? site["longitude_deg"].get<double>()
                                  : 0.0;
  calculation.mode = pipeline::Mode::historical;
  calculation.dataset = std::move(*job);
  if (period.is_object()) {
    calculation.start_date =
        domain::parse_iso_date(period.value("start", "").substr(0, 10)).value_or(domain::Date{});
    calculation.end_date =
        domain::parse_iso_date(period.value("end", "").substr(0, 10)).value_or(domain::Date{});
  }
  if (site.value("elevation_m", nlohmann::json()).is_number()) {
    calculation.elevation_m = site["elevation_m"].get<double>();
  }
  auto id = queue_task(state, request, calculation);
  if (!id) return std::move(id.error());
  return task_accepted(state, request, *id);
}

}  // namespace

void add_dataset_routes(Router& router, WorkspaceServices& services, ServerState& state) {
  router.add({.method = http::verb::post,
              .pattern = "/api/v1/datasets",
              .name = "upload_dataset",
              .kind = RouteKind::upload,
              .limit = RateLimit::per_client,
              .handler = nullptr});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/datasets",
              .name = "list_datasets",
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams&) {
                return list_datasets(services, request);
              }});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/datasets/{dataset_id}",
              .name = "get_dataset",
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams& params) {
                return get_dataset(services, request, params);
              }});
  router.add({.method = http::verb::delete_,
              .pattern = "/api/v1/datasets/{dataset_id}",
              .name = "delete_dataset",
              .limit = RateLimit::per_client,
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams& params) {
                return delete_dataset(services, request, params);
              }});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/datasets/{dataset_id}/rows",
              .name = "get_dataset_rows",
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams& params) {
                return get_rows(services, request, params);
              }});
  router.add({.method = http::verb::post,
              .pattern = "/api/v1/datasets/{dataset_id}/rows",
              .name = "append_dataset_rows",
              .kind = RouteKind::upload,
              .limit = RateLimit::per_client,
              .handler = nullptr});
  router.add({.method = http::verb::post,
              .pattern = "/api/v1/datasets/{dataset_id}/calculations",
              .name = "create_dataset_calculation",
              .limit = RateLimit::per_client,
              .run_on = RunOn::blocking_pool,
              .handler = [&services, &state](const HttpRequest& request, const PathParams& params) {
                return create_calculation(services, state, request, params);
              }});
}

}  // namespace evapo::server
