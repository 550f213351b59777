#include <nlohmann/json.hpp>

#include <evapo/server/http_error.hpp>
#include <evapo/server/workspace_handler.hpp>
#include <evapo/server/workspace_services.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

HttpResponse create_workspace(WorkspaceServices& services, const HttpRequest& request) {
  auto created = services.access->create();
  if (!created) return error_response(request, created.error());
  const nlohmann::json body{
      {"workspace_id", created->workspace.id},
      {"key", created->key},
      {"created_at", created->workspace.created_at},
      {"message", "keep this key: send it as 'Authorization: Bearer <key>'; it is shown only now"}};
  services.publish_activity("workspace", "created", created->workspace.id);
  return json_response(request, http::status::created, json_text(body));
}

HttpResponse current_workspace(WorkspaceServices& services, const HttpRequest& request) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  auto datasets = services.stores.datasets->list(caller->scope());
  if (!datasets) return error_response(request, datasets.error());
  auto sites = services.stores.sites->list(caller->scope());
  if (!sites) return error_response(request, sites.error());
  const nlohmann::json body{
      {"workspace_id", caller->kind == Caller::Kind::admin ? nlohmann::json()
                                                           : nlohmann::json(caller->workspace_id)},
      {"admin", caller->kind == Caller::Kind::admin},
      {"datasets", datasets->size()},
      {"sites", sites->size()}};
  return json_response(request, http::status::ok, json_text(body));
}

}  // namespace

void add_workspace_routes(Router& router, WorkspaceServices& services) {
  router.add({.method = http::verb::post,
              .pattern = "/api/v1/workspaces",
              .name = "create_workspace",
              .limit = RateLimit::per_client,
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams&) {
                return create_workspace(services, request);
              }});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/workspaces/current",
              .name = "current_workspace",
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams&) {
                return current_workspace(services, request);
              }});
}

}  // namespace evapo::server
