#include <string_view>

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include <evapo/pipeline/calculation.hpp>
#include <evapo/pipeline/over_sea.hpp>
#include <evapo/pipeline/request_json.hpp>
#include <evapo/server/calculation_handler.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/json_body.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/server/task_submission.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

HttpResponse submit_calculation(ServerState& state, const sources::LandMask* land,
                                const HttpRequest& request) {
  auto body = json_object_body(request);
  if (!body) return std::move(body.error());
  auto parsed = pipeline::parse_calculation_request(*body);
  if (!parsed) return error_response(request, parsed.error());
  // The pipeline's own rules (date window, span, mode windows) answer now rather than as an ERROR
  // event later.
  if (auto problems = pipeline::validate(*parsed); !problems.empty()) {
    return error_response(request, domain::Error::invalid_argument("the request has invalid fields",
                                                                   std::move(problems)));
  }
  if (land != nullptr) {
    if (auto refusal = pipeline::over_sea_refusal(*parsed, *land)) {
      return error_response(request, http::status::unprocessable_entity, "over_sea",
                            refusal->message, refusal->details);
    }
  }
  auto id = queue_task(state, request, *parsed);
  if (!id) return std::move(id.error());
  return task_accepted(state, request, *id);
}

}  // namespace

void add_calculation_routes(Router& router, ServerState& state,
                            std::shared_ptr<const sources::LandMask> land) {
  auto handler = [&state, land](const HttpRequest& request, const PathParams&) {
    return submit_calculation(state, land.get(), request);
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
