#include <boost/beast/http/field.hpp>
#include <fmt/format.h>

#include <evapo/server/metrics_handler.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/tasks/task_service.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

void append_task_metrics(tasks::TaskService& tasks, std::string& out) {
  auto counts = tasks.counts();
  if (!counts) return;
  out += "# HELP evapo_tasks Tasks in the store, by state.\n# TYPE evapo_tasks gauge\n";
  for (const auto& [state, count] : counts->by_state) {
    out += fmt::format("evapo_tasks{{state=\"{}\"}} {}\n", tasks::to_string(state), count);
  }
  out +=
      "# HELP evapo_task_queue_depth Tasks waiting for a worker.\n# TYPE evapo_task_queue_depth "
      "gauge\n";
  out += fmt::format("evapo_task_queue_depth {}\n", counts->queue_depth);
  out +=
      "# HELP evapo_tasks_running Tasks being run by this process.\n# TYPE evapo_tasks_running "
      "gauge\n";
  out += fmt::format("evapo_tasks_running {}\n", counts->running);
  out +=
      "# HELP evapo_task_subscribers Live task event subscriptions.\n# TYPE evapo_task_subscribers "
      "gauge\n";
  out += fmt::format("evapo_task_subscribers {}\n", counts->subscribers);
}

void append_worker_metrics(tasks::TaskService& tasks, std::string& out) {
  auto workers = tasks.workers();
  if (!workers) return;
  out +=
      "# HELP evapo_workers Worker processes alive (heartbeat within three periods).\n"
      "# TYPE evapo_workers gauge\n";
  out += fmt::format("evapo_workers {}\n", workers->size());
  out +=
      "# HELP evapo_worker_running_tasks Tasks each live worker process runs, from its last "
      "heartbeat.\n# TYPE evapo_worker_running_tasks gauge\n";
  for (const auto& worker : *workers) {
    out += fmt::format("evapo_worker_running_tasks{{worker=\"{}\",host=\"{}\"}} {}\n", worker.id,
                       worker.host, worker.running_tasks.size());
  }
  out +=
      "# HELP evapo_worker_concurrency Calculation threads of each live worker process.\n"
      "# TYPE evapo_worker_concurrency gauge\n";
  for (const auto& worker : *workers) {
    out += fmt::format("evapo_worker_concurrency{{worker=\"{}\",host=\"{}\"}} {}\n", worker.id,
                       worker.host, worker.concurrency);
  }
}

}  // namespace

void add_metrics_routes(Router& router, ServerState& state) {
  state.metrics().add_collector(
      [&tasks = state.tasks()](std::string& out) { append_task_metrics(tasks, out); });
  state.metrics().add_collector(
      [&tasks = state.tasks()](std::string& out) { append_worker_metrics(tasks, out); });
  router.add({.method = http::verb::get,
              .pattern = "/metrics",
              .name = "metrics",
              .access = Access::metrics,
              .run_on = RunOn::blocking_pool,
              .handler = [&state](const HttpRequest& request, const PathParams&) {
                HttpResponse response{http::status::ok, request.version()};
                response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
                response.set(http::field::cache_control, "no-store");
                response.keep_alive(request.keep_alive());
                response.body() = state.metrics().render();
                response.prepare_payload();
                return response;
              }});
}

}  // namespace evapo::server
