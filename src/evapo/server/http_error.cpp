#include <boost/beast/http/field.hpp>
#include <spdlog/spdlog.h>

#include <evapo/server/http_error.hpp>
#include <evapo/server/router.hpp>
#include <evapo/tasks/task_id.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {
constexpr int kRetryAfterUnavailableS = 2;
}  // namespace

http::status http_status(domain::ErrorCode code) {
  switch (code) {
    case domain::ErrorCode::invalid_argument:
      return http::status::unprocessable_entity;
    case domain::ErrorCode::not_found:
      return http::status::not_found;
    case domain::ErrorCode::unavailable:
      return http::status::service_unavailable;
    case domain::ErrorCode::timeout:
      return http::status::gateway_timeout;
    case domain::ErrorCode::upstream:
      return http::status::bad_gateway;
    case domain::ErrorCode::cancelled:
      return http::status::conflict;
    case domain::ErrorCode::resource_exhausted:
      return http::status::insufficient_storage;
    case domain::ErrorCode::internal:
    case domain::ErrorCode::worker_lost:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

std::string_view api_error_code(domain::ErrorCode code) {
  switch (code) {
    case domain::ErrorCode::invalid_argument:
      return "VALIDATION_ERROR";
    case domain::ErrorCode::not_found:
      return "NOT_FOUND";
    case domain::ErrorCode::unavailable:
      return "UNAVAILABLE";
    case domain::ErrorCode::timeout:
      return "TIMEOUT";
    case domain::ErrorCode::upstream:
      return "UPSTREAM_ERROR";
    case domain::ErrorCode::cancelled:
      return "CANCELLED";
    case domain::ErrorCode::resource_exhausted:
      return "STORAGE_FULL";
    case domain::ErrorCode::internal:
    case domain::ErrorCode::worker_lost:
      return "INTERNAL_ERROR";
  }
  return "INTERNAL_ERROR";
}

std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse json_response(const HttpRequest& request, http::status status, std::string body) {
  HttpResponse response{status, request.version()};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

HttpResponse error_response(const HttpRequest& request, http::status status,
                            std::string_view api_code, std::string_view message,
                            const std::vector<domain::ErrorDetail>& details) {
  nlohmann::json detail_array = nlohmann::json::array();
  for (const auto& detail : details) {
    detail_array.push_back({{"field", detail.field}, {"reason", detail.reason}});
  }
  const nlohmann::json body = {
      {"error", {{"code", api_code}, {"message", message}, {"details", detail_array}}}};
  return json_response(request, status, json_text(body));
}

HttpResponse error_response(const HttpRequest& request, const domain::Error& error) {
  // These come from below (a database, a disk, a bug): the log gets the text, the client a
  // reference to it.
  if (error.code == domain::ErrorCode::internal ||
      error.code == domain::ErrorCode::resource_exhausted) {
    const std::string reference = tasks::new_task_id().substr(0, 12);
    spdlog::error("{} {} answered {} (reference {}): {}", std::string(request.method_string()),
                  std::string(target_path(request.target())), api_error_code(error.code), reference,
                  error.message);
    const std::string message =
        error.code == domain::ErrorCode::internal
            ? "internal error (reference " + reference + ")"
            : "the server's storage is full; retry later (reference " + reference + ")";
    return error_response(request, http_status(error.code), api_error_code(error.code), message);
  }
  auto response = error_response(request, http_status(error.code), api_error_code(error.code),
                                 error.message, error.details);
  // A store or queue that is down usually comes back within seconds (a restart, a failover).
  if (error.code == domain::ErrorCode::unavailable) {
    response.set(http::field::retry_after, std::to_string(kRetryAfterUnavailableS));
  }
  return response;
}

}  // namespace evapo::server
