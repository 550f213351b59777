#include <nlohmann/json.hpp>

#include <evapo/server/health_handler.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

void add_health_routes(Router& router, ServerState& state) {
  router.add({.method = http::verb::get,
              .pattern = "/healthz",
              .name = "healthz",
              .handler = [](const HttpRequest& request, const PathParams&) {
                return json_response(request, http::status::ok, R"({"status":"ok"})");
              }});
  router.add({.method = http::verb::get,
              .pattern = "/readyz",
              .name = "readyz",
              .run_on = RunOn::blocking_pool,
              .handler = [&state](const HttpRequest& request, const PathParams&) {
                if (state.stopping()) {
                  return error_response(request, domain::Error::unavailable("shutting down"));
                }
                if (auto counts = state.tasks().counts(); !counts) {
                  return error_response(
                      request, domain::Error::unavailable("task store: " + counts.error().message));
                }
                return json_response(request, http::status::ok, R"({"status":"ready"})");
              }});
}

}  // namespace evapo::server
