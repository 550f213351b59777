#include <chrono>
#include <pthread.h>
#include <thread>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/verb.hpp>

#include <evapo/server/calculation_handler.hpp>
#include <evapo/server/dataset_handler.hpp>
#include <evapo/server/exception_barrier.hpp>
#include <evapo/server/health_handler.hpp>
#include <evapo/server/listener.hpp>
#include <evapo/server/metrics_handler.hpp>
#include <evapo/server/openapi_handler.hpp>
#include <evapo/server/ops_handler.hpp>
#include <evapo/server/place_search_handler.hpp>
#include <evapo/server/server.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/server/site_handler.hpp>
#include <evapo/server/task_handler.hpp>
#include <evapo/server/workers_handler.hpp>
#include <evapo/server/workspace_handler.hpp>

namespace evapo::server {

namespace net = boost::asio;
namespace http = boost::beast::http;

namespace {

void add_live_routes(Router& router) {
  router.add({.method = http::verb::get,
              .pattern = "/ws/task_status/{task_id}",
              .name = "task_status_websocket",
              .kind = RouteKind::websocket,
              .handler = nullptr});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/tasks/{task_id}/events",
              .name = "task_events_sse",
              .kind = RouteKind::sse,
              .handler = nullptr});
}

}  // namespace

Server::Server(ServerConfig config, tasks::TaskService& tasks, ServerServices services)
    : ioc_(config.io_threads),
      blocking_pool_(static_cast<std::size_t>(config.blocking_threads)),
      state_(std::make_shared<ServerState>(std::move(config), tasks, blocking_pool_.get_executor(),
                                           services.operations, services.workspaces)) {
  Router& router = state_->router();
  add_calculation_routes(router, *state_, std::move(services.land));
  if (services.places != nullptr) add_place_search_routes(router, *services.places);
  add_task_routes(router, *state_);
  add_worker_routes(router, tasks);
  add_live_routes(router);
  add_ops_routes(router, *state_);
  if (services.workspaces != nullptr) {
    add_workspace_routes(router, *services.workspaces);
    add_dataset_routes(router, *services.workspaces, *state_);
    add_site_routes(router, *services.workspaces);
  }
  add_health_routes(router, *state_);
  add_metrics_routes(router, *state_);
  add_openapi_routes(router);
}

Server::~Server() {
  stop();
}

domain::Expected<std::uint16_t> Server::start() {
  boost::system::error_code ec;
  const auto address = net::ip::make_address(state_->config().host, ec);
  if (ec) {
    return domain::fail(domain::Error::invalid_argument(
        "invalid host '" + state_->config().host + "'", {{"host", "must be an IP address"}}));
  }
  listener_ = std::make_shared<Listener>(ioc_, state_);
  auto bound = listener_->open({address, state_->config().port});
  if (!bound) return domain::fail(bound.error());
  listener_->run();
  for (int i = 0; i < state_->config().io_threads; ++i) {
    threads_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "evapo-io");
      run_guarded(ioc_);
    });
  }
  return bound->port();
}

void Server::stop_accepting() {
  if (listener_) listener_->stop();
  state_->begin_shutdown();
}

void Server::stop() {
  if (threads_.empty()) return;
  stop_accepting();
  state_->shutdown_live_sessions();
  // Bounded: a peer that does not complete the closing handshake is cut off after its own
  // grace, which this does not wait for.
  constexpr auto kCloseDrain = std::chrono::seconds(1);
  const auto give_up = std::chrono::steady_clock::now() + kCloseDrain;
  while (state_->live_session_count() > 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ioc_.stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  // Blocking answers still being computed are dropped with their connections.
  blocking_pool_.stop();
  blocking_pool_.join();
}

const Router& Server::router() const {
  return state_->router();
}

MetricsRegistry& Server::metrics() {
  return state_->metrics();
}

}  // namespace evapo::server
