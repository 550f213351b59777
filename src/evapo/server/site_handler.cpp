#include <cmath>

#include <nlohmann/json.hpp>

#include <evapo/domain/date.hpp>
#include <evapo/domain/random_id.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/json_body.hpp>
#include <evapo/server/site_handler.hpp>
#include <evapo/server/workspace_services.hpp>
#include <evapo/sites/site_settings.hpp>
#include <evapo/sites/site_views.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

using Clock = std::chrono::system_clock;

struct VisibleSite {
  storage::SiteRecord record;
  sites::SiteSettings settings;
};

tl::expected<VisibleSite, HttpResponse> find_site(WorkspaceServices& services,
                                                  const HttpRequest& request, const Caller& caller,
                                                  const std::string& id) {
  const auto not_found = [&] {
    return tl::unexpected(error_response(request, domain::Error::not_found("no such site")));
  };
  if (!is_resource_id(id)) return not_found();
  auto record = services.stores.sites->get(id);
  if (!record) return tl::unexpected(error_response(request, record.error()));
  if (!*record || !caller.sees((*record)->workspace_id)) return not_found();
  auto settings = sites::parse_stored((*record)->settings_json);
  if (!settings) return tl::unexpected(error_response(request, settings.error()));
  return VisibleSite{std::move(**record), std::move(*settings)};
}

domain::Expected<nlohmann::json> view(WorkspaceServices& services, const storage::SiteRecord& site,
                                      const sites::SiteSettings& settings) {
  const auto now = Clock::now();
  auto last = services.stores.sites->last_run(site.id);
  if (!last) return domain::fail(last.error());
  auto recent = services.stores.sites->history(site.id, sites::recent_from(settings, now));
  if (!recent) return domain::fail(recent.error());
  return sites::site_json(site, settings, *last, *recent, now);
}

// The operations channel is readable by anyone: a site's point goes on it rounded to 0.1°
// (about 11 km), and its name not at all.
nlohmann::json event_data(const storage::SiteRecord& site, const sites::SiteSettings& settings) {
  auto json = sites::to_json(settings);
  const auto rounded = [](double deg) { return std::round(deg * 10.0) / 10.0; };
  return {{"site_id", site.id},
          {"latitude", rounded(settings.latitude_deg)},
          {"longitude", rounded(settings.longitude_deg)},
          {"modes", json["modes"]},
          {"schedule", json["schedule"]["local_time"]}};
}

HttpResponse create_site(WorkspaceServices& services, const HttpRequest& request) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  if (caller->kind == Caller::Kind::admin) {
    return error_response(request, http::status::forbidden, "FORBIDDEN",
                          "the admin token reads every workspace but owns none: create sites "
                          "with a workspace key");
  }
  auto body = json_object_body(request);
  if (!body) return std::move(body.error());
  auto settings = sites::parse_new_site(*body);
  if (!settings) return error_response(request, settings.error());
  const std::string now = domain::format_iso_utc_millis(Clock::now());
  const storage::SiteRecord record{.id = domain::random_hex(16),
                                   .workspace_id = caller->workspace_id,
                                   .settings_json = json_text(sites::to_json(*settings)),
                                   .created_at = now,
                                   .updated_at = now};
  if (auto created = services.stores.sites->create(record); !created) {
    return error_response(request, created.error());
  }
  auto json = view(services, record, *settings);
  if (!json) return error_response(request, json.error());
  services.publish(ops::EventType::site_created, event_data(record, *settings));
  services.publish_activity("site", "created", record.id);
  HttpResponse response = json_response(request, http::status::created, json_text(*json));
  response.set(http::field::location, "/api/v1/sites/" + record.id);
  return response;
}

HttpResponse list_sites(WorkspaceServices& services, const HttpRequest& request) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  auto records = services.stores.sites->list(caller->scope());
  if (!records) return error_response(request, records.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& record : *records) {
    auto settings = sites::parse_stored(record.settings_json);
    if (!settings) return error_response(request, settings.error());
    auto json = view(services, record, *settings);
    if (!json) return error_response(request, json.error());
    items.push_back(std::move(*json));
  }
  return json_response(request, http::status::ok, json_text(nlohmann::json{{"sites", items}}));
}

HttpResponse get_site(WorkspaceServices& services, const HttpRequest& request,
                      const PathParams& params) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  auto found = find_site(services, request, *caller, params.at("site_id"));
  if (!found) return std::move(found.error());
  auto json = view(services, found->record, found->settings);
  if (!json) return error_response(request, json.error());
  return json_response(request, http::status::ok, json_text(*json));
}

HttpResponse patch_site(WorkspaceServices& services, const HttpRequest& request,
                        const PathParams& params) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  auto found = find_site(services, request, *caller, params.at("site_id"));
  if (!found) return std::move(found.error());
  auto body = json_object_body(request);
  if (!body) return std::move(body.error());
  auto settings = sites::apply_patch(found->settings, *body);
  if (!settings) return error_response(request, settings.error());
  storage::SiteRecord record = found->record;
  record.settings_json = json_text(sites::to_json(*settings));
  record.updated_at = domain::format_iso_utc_millis(Clock::now());
  if (auto updated = services.stores.sites->update(record); !updated) {
    return error_response(request, updated.error());
  }
  auto json = view(services, record, *settings);
  if (!json) return error_response(request, json.error());
  services.publish(ops::EventType::site_updated, event_data(record, *settings));
  services.publish_activity("site", "updated", record.id);
  return json_response(request, http::status::ok, json_text(*json));
}

HttpResponse delete_site(WorkspaceServices& services, const HttpRequest& request,
                         const PathParams& params) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  auto found = find_site(services, request, *caller, params.at("site_id"));
  if (!found) return std::move(found.error());
  auto removed = services.stores.sites->remove(found->record.id);
  if (!removed) return error_response(request, removed.error());
  services.publish(ops::EventType::site_deleted, {{"site_id", found->record.id}});
  services.publish_activity("site", "deleted", found->record.id);
  HttpResponse response{http::status::no_content, request.version()};
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

HttpResponse site_history(WorkspaceServices& services, const HttpRequest& request,
                          const PathParams& params) {
  auto caller = services.access->identify(request);
  if (!caller) return std::move(caller.error());
  auto found = find_site(services, request, *caller, params.at("site_id"));
  if (!found) return std::move(found.error());
  const std::string from = query_parameter(request.target(), "from");
  if (!from.empty() && !domain::parse_iso_date(from)) {
    return error_response(request, domain::Error::invalid_argument(
                                       "invalid query", {{"from", "must be YYYY-MM-DD"}}));
  }
  auto days = services.stores.sites->history(found->record.id, from);
  if (!days) return error_response(request, days.error());
  const std::string format = query_parameter(request.target(), "format");
  if (format == "csv") {
    HttpResponse response{http::status::ok, request.version()};
    response.set(http::field::content_type, "text/csv; charset=utf-8");
    response.set(http::field::content_disposition,
                 "attachment; filename=\"site-" + found->record.id + "-eto.csv\"");
    response.set(http::field::cache_control, "no-store");
    response.keep_alive(request.keep_alive());
    response.body() = sites::history_csv(*days);
    response.prepare_payload();
    return response;
  }
  if (!format.empty() && format != "json") {
    return error_response(request, domain::Error::invalid_argument(
                                       "invalid query", {{"format", "must be json or csv"}}));
  }
  return json_response(request, http::status::ok, json_text(sites::history_json(*days)));
}

}  // namespace

void add_site_routes(Router& router, WorkspaceServices& services) {
  router.add({.method = http::verb::post,
              .pattern = "/api/v1/sites",
              .name = "create_site",
              .limit = RateLimit::per_client,
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams&) {
                return create_site(services, request);
              }});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/sites",
              .name = "list_sites",
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams&) {
                return list_sites(services, request);
              }});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/sites/{site_id}",
              .name = "get_site",
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams& params) {
                return get_site(services, request, params);
              }});
  router.add({.method = http::verb::patch,
              .pattern = "/api/v1/sites/{site_id}",
              .name = "update_site",
              .limit = RateLimit::per_client,
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams& params) {
                return patch_site(services, request, params);
              }});
  router.add({.method = http::verb::delete_,
              .pattern = "/api/v1/sites/{site_id}",
              .name = "delete_site",
              .limit = RateLimit::per_client,
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams& params) {
                return delete_site(services, request, params);
              }});
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/sites/{site_id}/history",
              .name = "site_history",
              .run_on = RunOn::blocking_pool,
              .handler = [&services](const HttpRequest& request, const PathParams& params) {
                return site_history(services, request, params);
              }});
}

}  // namespace evapo::server
