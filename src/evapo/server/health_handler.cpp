#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <evapo/server/health_handler.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

// One log line when the store turns unusable or usable again, not one per probe.
void note_store_health(ServerState& state, const domain::Expected<void>& health) {
  if (state.store_was_healthy().exchange(health.has_value()) == health.has_value()) return;
  if (health) {
    spdlog::info("readiness: the task store is usable again");
  } else {
    spdlog::error("readiness: the task store cannot be used: {}", health.error().message);
  }
}

}  // namespace

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
                auto health = state.tasks().health();
                note_store_health(state, health);
                if (!health) {
                  // The reason is in the log; the answer names the kind of trouble only.
                  const bool full = health.error().code == domain::ErrorCode::resource_exhausted;
                  return error_response(
                      request, http::status::service_unavailable,
                      full ? "STORAGE_FULL" : "STORE_UNAVAILABLE",
                      full ? "the task store's disk is full" : "the task store cannot be used");
                }
                return json_response(request, http::status::ok, R"({"status":"ready"})");
              }});
}

}  // namespace evapo::server
