#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include <evapo/ops/activity.hpp>
#include <evapo/ops/calculation_publisher.hpp>
#include <evapo/ops/operations.hpp>
#include <evapo/pipeline/request_json.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/ops_handler.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/server/task_submission.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

HttpResponse overview(ops::Operations& ops, const HttpRequest& request) {
  auto snapshot = ops.overview();
  if (!snapshot) return error_response(request, snapshot.error());
  return json_response(request, http::status::ok, snapshot->dump());
}

HttpResponse priors_state(ops::Operations& ops, const HttpRequest& request) {
  auto state = ops.priors().state();
  if (!state) return error_response(request, state.error());
  return json_response(request, http::status::ok, state->dump());
}

HttpResponse priors_csv(ops::Operations& ops, const HttpRequest& request,
                        const PathParams& params) {
  const std::string& text = params.at("version");
  std::int64_t version = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size() || version < 1) {
    return error_response(
        request, domain::Error::invalid_argument("invalid version",
                                                 {{"version", "must be an integer >= 1"}}));
  }
  auto csv = ops.priors().csv_of(version);
  if (!csv) return error_response(request, csv.error());
  HttpResponse response{http::status::ok, request.version()};
  response.set(http::field::content_type, "text/csv; charset=utf-8");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(*csv);
  response.prepare_payload();
  return response;
}

HttpResponse deploy_priors(ops::Operations& ops, const HttpRequest& request) {
  const std::string_view type = request[http::field::content_type];
  if (!type.starts_with("text/csv") && !type.starts_with("text/plain")) {
    return error_response(request, http::status::unsupported_media_type, "UNSUPPORTED_MEDIA_TYPE",
                          "send the priors file as text/csv (context,source,variable,sd)");
  }
  auto deployed = ops.priors().deploy(request.body(), query_parameter(request.target(), "note"));
  if (!deployed) return error_response(request, deployed.error());
  return json_response(request, http::status::created, deployed->dump());
}

HttpResponse roll_back_priors(ops::Operations& ops, const HttpRequest& request) {
  auto rolled = ops.priors().roll_back();
  if (!rolled) {
    if (rolled.error().code == domain::ErrorCode::not_found) {
      return error_response(request, http::status::conflict, "NOTHING_TO_ROLL_BACK",
                            rolled.error().message);
    }
    return error_response(request, rolled.error());
  }
  return json_response(request, http::status::ok, rolled->dump());
}

// A task as one row of the dashboard's table: what it is, where, how it went; never its results.
nlohmann::json task_row(const tasks::TaskRecord& record) {
  nlohmann::json row{
      {"task_id", record.id},
      {"status", tasks::to_string(record.state)},
      {"created_at", record.created_at},
      {"started_at", record.started_at ? nlohmann::json(*record.started_at) : nullptr},
      {"finished_at", record.finished_at ? nlohmann::json(*record.finished_at) : nullptr},
      {"progress", record.progress},
      {"step", record.step},
      {"attempts", record.attempts},
      {"error_code", nullptr}};
  for (const char* key : {"latitude", "longitude", "start_date", "end_date", "mode"}) {
    row[key] =
        record.request.is_object() && record.request.contains(key) ? record.request[key] : nullptr;
  }
  if (record.error && record.error->is_object()) {
    row["error_code"] = record.error->value("error_code", std::string());
  }
  return row;
}

// "id prefix" or "place": a task matches when its id starts with `query`, or when the text of its
// latitude and longitude ("-22.7, -47.6") contains it.
bool task_matches(const nlohmann::json& row, std::string_view query) {
  if (query.empty()) return true;
  const std::string id = row["task_id"];
  if (id.starts_with(query)) return true;
  auto number = [](const nlohmann::json& value) {
    return value.is_number() ? value.dump() : std::string();
  };
  const std::string place = number(row["latitude"]) + ", " + number(row["longitude"]);
  return place.find(query) != std::string::npos;
}

HttpResponse list_task_rows(ServerState& state, const HttpRequest& request) {
  std::vector<domain::ErrorDetail> problems;
  tasks::TaskListQuery list_query;
  list_query.limit = 50;
  if (const auto text = query_parameter(request.target(), "status"); !text.empty()) {
    list_query.state = tasks::parse_task_state(text);
    if (!list_query.state) {
      problems.push_back(
          {"status", "must be one of queued, processing, success, error, timeout, cancelled"});
    }
  }
  if (const auto text = query_parameter(request.target(), "limit"); !text.empty()) {
    const auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), list_query.limit);
    if (ec != std::errc() || end != text.data() + text.size() || list_query.limit < 1 ||
        list_query.limit > tasks::kMaxTaskListLimit) {
      problems.push_back({"limit", "must be an integer between 1 and " +
                                       std::to_string(tasks::kMaxTaskListLimit)});
    }
  }
  if (!problems.empty()) {
    return error_response(request,
                          domain::Error::invalid_argument("invalid query", std::move(problems)));
  }
  const std::string query = query_parameter(request.target(), "q");
  auto page = state.tasks().list(list_query);
  if (!page) return error_response(request, page.error());
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& record : page->tasks) {
    auto row = task_row(record);
    // A page of the list holds summaries (no result, no error): a failed task's code is read
    // from its record.
    if (record.state == tasks::TaskState::error || record.state == tasks::TaskState::timeout) {
      if (auto full = state.tasks().get(record.id);
          full && *full && (*full)->error && (*full)->error->is_object()) {
        row["error_code"] = (*full)->error->value("error_code", std::string());
      }
    }
    if (task_matches(row, query)) rows.push_back(std::move(row));
  }
  return json_response(request, http::status::ok, json_text(nlohmann::json{{"tasks", rows}}));
}

HttpResponse rerun_task(ServerState& state, const HttpRequest& request, const PathParams& params) {
  const std::string& id = params.at("task_id");
  auto record = state.tasks().get(id);
  if (!record) return error_response(request, record.error());
  if (!*record) return error_response(request, domain::Error::not_found("no task with id " + id));
  if (!tasks::is_terminal((*record)->state)) {
    return error_response(request, http::status::conflict, "TASK_NOT_FINISHED",
                          "the task is still " + std::string(tasks::to_string((*record)->state)) +
                              "; cancel it first or wait for its end");
  }
  auto calculation =
      pipeline::parse_calculation_request((*record)->request, pipeline::RequestOrigin::stored);
  if (!calculation) return error_response(request, calculation.error());
  auto new_id = queue_task(state, request, *calculation);
  if (!new_id) return std::move(new_id.error());
  if (auto* ops = state.operations()) {
    ops::publish_activity(ops->channel(), "task", "rerun", ops::task_ref(*new_id),
                          {{"rerun_of", ops::task_ref(id)}});
  }
  return task_accepted(state, request, *new_id, {{"rerun_of", id}});
}

}  // namespace

void add_ops_routes(Router& router, ServerState& state) {
  router.add({.method = http::verb::post,
              .pattern = "/api/v1/tasks/{task_id}/rerun",
              .name = "rerun_task",
              .limit = RateLimit::per_client,
              .access = Access::admin,
              .run_on = RunOn::blocking_pool,
              .handler = [&state](const HttpRequest& request, const PathParams& params) {
                return rerun_task(state, request, params);
              }});
  ops::Operations* ops = state.operations();
  if (ops == nullptr) return;
  router.add({.method = http::verb::get,
              .pattern = "/ws/events",
              .name = "ops_events_websocket",
              .kind = RouteKind::ops_websocket,
              .handler = nullptr});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/events/stream",
              .name = "ops_events_sse",
              .kind = RouteKind::ops_sse,
              .handler = nullptr});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/ops/tasks",
              .name = "ops_tasks",
              .access = Access::admin,
              .run_on = RunOn::blocking_pool,
              .handler = [&state](const HttpRequest& request, const PathParams&) {
                return list_task_rows(state, request);
              }});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/ops/overview",
              .name = "ops_overview",
              .run_on = RunOn::blocking_pool,
              .handler = [ops](const HttpRequest& request, const PathParams&) {
                return overview(*ops, request);
              }});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/ops/priors",
              .name = "ops_priors",
              .run_on = RunOn::blocking_pool,
              .handler = [ops](const HttpRequest& request, const PathParams&) {
                return priors_state(*ops, request);
              }});
  router.add({.method = http::verb::post,
              .pattern = "/api/v1/ops/priors",
              .name = "ops_deploy_priors",
              .limit = RateLimit::per_client,
              .access = Access::admin,
              .run_on = RunOn::blocking_pool,
              .handler = [ops](const HttpRequest& request, const PathParams&) {
                return deploy_priors(*ops, request);
              }});
  router.add({.method = http::verb::post,
              .pattern = "/api/v1/ops/priors/rollback",
              .name = "ops_rollback_priors",
              .limit = RateLimit::per_client,
              .access = Access::admin,
              .run_on = RunOn::blocking_pool,
              .handler = [ops](const HttpRequest& request, const PathParams&) {
                return roll_back_priors(*ops, request);
              }});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/ops/priors/{version}",
              .name = "ops_priors_version",
              .run_on = RunOn::blocking_pool,
              .handler = [ops](const HttpRequest& request, const PathParams& params) {
                return priors_csv(*ops, request, params);
              }});
}

}  // namespace evapo::server
