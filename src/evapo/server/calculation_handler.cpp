#include <cctype>
#include <string_view>

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include <evapo/pipeline/calculation.hpp>
#include <evapo/pipeline/over_sea.hpp>
#include <evapo/pipeline/request_json.hpp>
#include <evapo/server/calculation_handler.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

// "application/json", any case, parameters (charset) allowed.
bool is_json_media_type(std::string_view content_type) {
  const std::string_view type = content_type.substr(0, content_type.find(';'));
  std::string normalized;
  for (const char c : type) {
    if (c != ' ' && c != '\t')
      normalized += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return normalized == "application/json";
}

HttpResponse submit_calculation(ServerState& state, const sources::LandMask* land,
                                const HttpRequest& request) {
  // A browser sends text/plain cross-site without asking first; JSON it would have to ask for.
  if (!is_json_media_type(request[http::field::content_type])) {
    return error_response(request, http::status::unsupported_media_type, "UNSUPPORTED_MEDIA_TYPE",
                          "the request body must be sent as Content-Type: application/json");
  }
  tasks::TaskService& tasks = state.tasks();
  const auto body = nlohmann::json::parse(request.body(), nullptr, false);
  if (body.is_discarded()) {
    return error_response(request, http::status::bad_request, "BAD_REQUEST",
                          "the request body is not valid JSON");
  }
  auto parsed = pipeline::parse_calculation_request(body);
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
  // The rate limit is per address; this bound holds however many addresses send.
  if (auto depth = tasks.queue_depth(); depth && *depth >= state.config().max_queued_tasks) {
    constexpr int kRetryAfterQueueFullS = 10;
    HttpResponse response =
        error_response(request, http::status::service_unavailable, "QUEUE_FULL",
                       "too many calculations are waiting; retry in a few seconds");
    response.set(http::field::retry_after, std::to_string(kRetryAfterQueueFullS));
    return response;
  }
  auto record = tasks.submit(*parsed);
  if (!record) return error_response(request, record.error());

  const std::string& id = record->id;
  const nlohmann::json answer = {
      {"task_id", id},
      {"status", "queued"},
      {"message", "calculation queued; follow its progress at links.websocket or links.events"},
      {"cancel_token", state.capability().token_for(id)},
      {"links",
       {{"self", "/api/v1/tasks/" + id},
        {"events", "/api/v1/tasks/" + id + "/events"},
        {"websocket", "/ws/task_status/" + id}}}};
  HttpResponse response = json_response(request, http::status::accepted, json_text(answer));
  response.set(http::field::location, "/api/v1/tasks/" + id);
  return response;
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
