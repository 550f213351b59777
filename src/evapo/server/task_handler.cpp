#include <charconv>

#include <nlohmann/json.hpp>

#include <evapo/server/http_error.hpp>
#include <evapo/server/server_state.hpp>
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
  tasks::TaskListQuery query;
  query.limit = kDefaultListLimit;
  if (const auto status = query_parameter(request.target(), "status"); !status.empty()) {
    query.state = tasks::parse_task_state(status);
    if (!query.state) {
      problems.push_back(
          {"status", "must be one of queued, processing, success, error, timeout, cancelled"});
    }
  }
  if (const auto text = query_parameter(request.target(), "limit"); !text.empty()) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), query.limit);
    if (ec != std::errc() || end != text.data() + text.size() || query.limit < 1 ||
        query.limit > tasks::kMaxTaskListLimit) {
      problems.push_back({"limit", "must be an integer between 1 and " +
                                       std::to_string(tasks::kMaxTaskListLimit)});
    }
  }
  query.cursor = query_parameter(request.target(), "cursor");
  if (!problems.empty()) {
    return error_response(request,
                          domain::Error::invalid_argument("invalid query", std::move(problems)));
  }
  auto page = tasks.list(query);
  if (!page) return error_response(request, page.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& record : page->tasks) items.push_back(tasks::to_json(record));
  nlohmann::json body{{"tasks", std::move(items)}, {"next_cursor", nullptr}};
  if (page->next_cursor) body["next_cursor"] = *page->next_cursor;
  return json_response(request, http::status::ok, json_text(body));
}

HttpResponse cancel_task(ServerState& state, const HttpRequest& request, const PathParams& params) {
  const std::string& id = params.at("task_id");
  if (!state.capability().allows_cancel(id, bearer_token(request)) &&
      !state.access().is_admin(request)) {
    return error_response(request, http::status::forbidden, "FORBIDDEN",
                          "cancelling a task needs the cancel_token returned when it was created, "
                          "as 'Authorization: Bearer <token>'");
  }
  auto record = state.tasks().cancel(id);
  if (!record) return error_response(request, record.error());
  return json_response(request, http::status::ok, json_text(tasks::to_json(*record)));
}

}  // namespace

void add_task_routes(Router& router, ServerState& state) {
  tasks::TaskService& tasks = state.tasks();
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/tasks",
              .name = "list_tasks",
              .access = Access::admin,
              .run_on = RunOn::blocking_pool,
              .handler = [&tasks](const HttpRequest& request, const PathParams&) {
                return list_tasks(tasks, request);
              }});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/tasks/{task_id}",
              .name = "get_task",
              .run_on = RunOn::blocking_pool,
              .handler = [&tasks](const HttpRequest& request, const PathParams& params) {
                return get_task(tasks, request, params);
              }});
  router.add({.method = http::verb::delete_,
              .pattern = "/api/v1/tasks/{task_id}",
              .name = "cancel_task",
              .limit = RateLimit::per_client,
              .run_on = RunOn::blocking_pool,
              .handler = [&state](const HttpRequest& request, const PathParams& params) {
                return cancel_task(state, request, params);
              }});
}

}  // namespace evapo::server
