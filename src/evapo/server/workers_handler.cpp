#include <nlohmann/json.hpp>

#include <evapo/server/http_error.hpp>
#include <evapo/server/workers_handler.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

void add_worker_routes(Router& router, tasks::TaskService& tasks) {
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/workers",
              .name = "list_workers",
              .access = Access::admin,
              .run_on = RunOn::blocking_pool,
              .handler = [&tasks](const HttpRequest& request, const PathParams&) {
                auto workers = tasks.workers();
                if (!workers) return error_response(request, workers.error());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& worker : *workers) items.push_back(tasks::to_json(worker));
                return json_response(request, http::status::ok,
                                     nlohmann::json{{"workers", std::move(items)}}.dump());
              }});
}

}  // namespace evapo::server
