#include <charconv>

#include <nlohmann/json.hpp>

#include <evapo/server/http_error.hpp>
#include <evapo/server/task_handler.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

constexpr int kDefaultListLimit = 50;

HttpResponse get_task(tasks::TaskService& tasks, const HttpRequest& request,
                      const PathParams& params) {
  const std::string& id = params.at("task_id");
  auto record = tasks.get(id);
  if (!record) return error_response(request, record.error());
  if (!*record) return error_response(request, domain::Error::not_found("no task with id " + id));
  return json_response(request, http::status::ok, json_text(tasks::to_json(**record)));
}

HttpResponse list_tasks(tasks::TaskService& tasks, const HttpRequest& request) {
  std::vector<domain::ErrorDetail> problems;
  std::optional<tasks::TaskState> state;
  if (const auto status = query_parameter(request.target(), "status"); !status.empty()) {
    state = tasks::parse_task_state(status);
    if (!state) {
      problems.push_back(
          {"status", "must be one of queued, processing, success, error, timeout, cancelled"});
    }
  }
  int limit = kDefaultListLimit;
  if (const auto text = query_parameter(request.target(), "limit"); !text.empty()) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > 1000) {
      problems.push_back({"limit", "must be an integer between 1 and 1000"});
    }
  }
  if (!problems.empty()) {
    return error_response(request,
                          domain::Error::invalid_argument("invalid query", std::move(problems)));
  }
  auto records = tasks.list(state, limit);
  if (!records) return error_response(request, records.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& record : *records) items.push_back(tasks::to_json(record));
  return json_response(request, http::status::ok, json_text(nlohmann::json{{"tasks", items}}));
}

HttpResponse cancel_task(tasks::TaskService& tasks, const HttpRequest& request,
                         const PathParams& params) {
  auto record = tasks.cancel(params.at("task_id"));
  if (!record) return error_response(request, record.error());
  return json_response(request, http::status::ok, json_text(tasks::to_json(*record)));
}

}  // namespace

void add_task_routes(Router& router, tasks::TaskService& tasks) {
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/tasks",
              .name = "list_tasks",
              .handler = [&tasks](const HttpRequest& request, const PathParams&) {
                return list_tasks(tasks, request);
              }});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/tasks/{task_id}",
              .name = "get_task",
              .handler = [&tasks](const HttpRequest& request, const PathParams& params) {
                return get_task(tasks, request, params);
              }});
  router.add({.method = http::verb::delete_,
              .pattern = "/api/v1/tasks/{task_id}",
              .name = "cancel_task",
              .limit = RateLimit::per_client,
              .handler = [&tasks](const HttpRequest& request, const PathParams& params) {
                return cancel_task(tasks, request, params);
              }});
}

}  // namespace evapo::server
