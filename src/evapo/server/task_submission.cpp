#include <boost/beast/http/field.hpp>

#include <evapo/server/http_error.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/server/task_submission.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

tl::expected<std::string, HttpResponse> queue_task(
    ServerState& state, const HttpRequest& request,
    const pipeline::CalculationRequest& calculation) {
  tasks::TaskService& tasks = state.tasks();
  if (auto depth = tasks.queue_depth(); depth && *depth >= state.config().max_queued_tasks) {
    constexpr int kRetryAfterQueueFullS = 10;
    HttpResponse response =
        error_response(request, http::status::service_unavailable, "QUEUE_FULL",
                       "too many calculations are waiting; retry in a few seconds");
    response.set(http::field::retry_after, std::to_string(kRetryAfterQueueFullS));
    return tl::unexpected(std::move(response));
  }
  auto record = tasks.submit(calculation);
  if (!record) return tl::unexpected(error_response(request, record.error()));
  return record->id;
}

HttpResponse task_accepted(ServerState& state, const HttpRequest& request,
                           const std::string& task_id, const nlohmann::json& extra) {
  nlohmann::json answer = {
      {"task_id", task_id},
      {"status", "queued"},
      {"message", "calculation queued; follow its progress at links.websocket or links.events"},
      {"cancel_token", state.capability().token_for(task_id)},
      {"links",
       {{"self", "/api/v1/tasks/" + task_id},
        {"events", "/api/v1/tasks/" + task_id + "/events"},
        {"websocket", "/ws/task_status/" + task_id}}}};
  answer.update(extra);
  HttpResponse response = json_response(request, http::status::accepted, json_text(answer));
  response.set(http::field::location, "/api/v1/tasks/" + task_id);
  return response;
}

}  // namespace evapo::server
