#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include <evapo/pipeline/calculation.hpp>
#include <evapo/server/calculation_handler.hpp>
#include <evapo/server/calculation_request_parser.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

HttpResponse submit_calculation(tasks::TaskService& tasks, const HttpRequest& request) {
  const auto body = nlohmann::json::parse(request.body(), nullptr, false);
  if (body.is_discarded()) {
    return error_response(request, http::status::bad_request, "BAD_REQUEST",
                          "the request body is not valid JSON");
  }
  auto parsed = parse_calculation_request(body);
  if (!parsed) return error_response(request, parsed.error());
  // The pipeline's own rules (date window, span, mode windows) answer now rather than as an ERROR
  // event later.
  if (auto problems = pipeline::validate(*parsed); !problems.empty()) {
    return error_response(request, domain::Error::invalid_argument("the request has invalid fields",
                                                                   std::move(problems)));
  }
  auto record = tasks.submit(*parsed);
  if (!record) return error_response(request, record.error());

  const std::string& id = record->id;
  const nlohmann::json answer = {
      {"task_id", id},
      {"status", "queued"},
      {"message", "calculation queued; follow its progress at links.websocket or links.events"},
      {"links",
       {{"self", "/api/v1/tasks/" + id},
        {"events", "/api/v1/tasks/" + id + "/events"},
        {"websocket", "/ws/task_status/" + id}}}};
  HttpResponse response = json_response(request, http::status::accepted, json_text(answer));
  response.set(http::field::location, "/api/v1/tasks/" + id);
  return response;
}

}  // namespace

void add_calculation_routes(Router& router, tasks::TaskService& tasks) {
  auto handler = [&tasks](const HttpRequest& request, const PathParams&) {
    return submit_calculation(tasks, request);
  };
  router.add({.method = http::verb::post,
              .pattern = "/api/v1/eto/calculations",
              .name = "create_calculation",
              .kind = RouteKind::http,
              .limit = RateLimit::per_client,
              .handler = handler});
  router.add({.method = http::verb::post,
              .pattern = "/internal/eto/eto_calculate",
              .name = "create_calculation_legacy",
              .kind = RouteKind::http,
              .limit = RateLimit::per_client,
              .handler = handler});
}

}  // namespace evapo::server
