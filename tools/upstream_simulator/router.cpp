#include "router.hpp"

#include <nlohmann/json.hpp>

#include "api_responses.hpp"

namespace evapo::sim {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

SimResponse error_like(const std::string& upstream, unsigned status, const std::string& reason) {
  if (upstream == "nws") {
    const nlohmann::json body = {{"correlationId", "0"},
                                 {"title", reason},
                                 {"type", "https://api.weather.gov/problems/UnexpectedProblem"},
                                 {"status", status},
                                 {"detail", reason},
                                 {"instance", "https://api.weather.gov/requests/0"}};
    return json_response(status, body.dump(), "application/problem+json");
  }
  if (upstream == "nasa_power")
    return json_response(status, nlohmann::json{{"message", reason}}.dump());
  return json_response(status, nlohmann::json{{"error", true}, {"reason", reason}}.dump());
}

}  // namespace

std::string Router::upstream_of(std::string_view path) {
  if (starts_with(path, "/api/temporal/daily/point")) return "nasa_power";
  if (path == "/v1/archive") return "open_meteo_archive";
  if (path == "/v1/forecast") return "open_meteo_forecast";
  if (path == "/v1/elevation") return "elevation";
  if (path == "/v1/search") return "geocoding";
  if (starts_with(path, "/weatherapi/locationforecast/2.0/")) return "met_norway";
  if (starts_with(path, "/points/") || starts_with(path, "/gridpoints/") ||
      starts_with(path, "/stations/"))
    return "nws";
  return "";
}

SimResponse Router::control(std::string_view method, const Query& query, std::string_view body) {
  if (query.path == "/__sim/faults" && method == "POST") {
    std::string error;
    auto fault = parse_fault(std::string(body), error);
    if (!fault) return json_response(400, nlohmann::json{{"error", error}}.dump());
    faults_.add(*fault);
    return json_response(
        201, nlohmann::json{{"armed", to_string(fault->kind)}, {"source", fault->source}}.dump());
  }
  if (query.path == "/__sim/faults" && method == "DELETE") {
    faults_.clear(query.get("source") ? *query.get("source") : "*");
    return json_response(200, R"({"cleared":true})");
  }
  if (query.path == "/__sim/stats" && method == "GET") {
    auto stats = faults_.stats();
    stats["connections"] = connections_.load();
    return json_response(200, stats.dump());
  }
  if (query.path == "/__sim/health") return json_response(200, R"({"status":"ok"})");
  return json_response(404, R"({"error":"unknown control endpoint"})");
}

SimResponse Router::build(const std::string& upstream, const Query& query,
                          const ResponseContext& context) const {
  if (upstream == "nasa_power") return nasa_power_response(query, context);
  if (upstream == "open_meteo_archive")
    return open_meteo_response(domain::SourceId::open_meteo_archive, query, context);
  if (upstream == "open_meteo_forecast")
    return open_meteo_response(domain::SourceId::open_meteo_forecast, query, context);
  if (upstream == "elevation") return elevation_response(query, context);
  if (upstream == "geocoding") return geocoding_response(query);
  if (upstream == "met_norway") {
    const bool complete = query.path.ends_with("/complete");
    if (!complete && !query.path.ends_with("/compact"))
      return error_like(upstream, 404, "Not found");
    return met_norway_response(query, context,
                               complete ? MetProduct::complete : MetProduct::compact);
  }
  if (starts_with(query.path, "/points/")) return nws_points_response(query, context);
  if (starts_with(query.path, "/gridpoints/")) return nws_gridpoints_response(query, context);
  return error_like(upstream, 404, "Not Found");
}

SimResponse Router::handle(std::string_view method, std::string_view target, std::string_view body,
                           std::string_view host, std::string_view user_agent) {
  const Query query = parse_target(target);
  if (starts_with(query.path, "/__sim/")) return control(method, query, body);
  const std::string upstream = upstream_of(query.path);
  if (upstream.empty())
    return json_response(404, R"({"error":"no simulated upstream at this path"})");
  if (method != "GET") return error_like(upstream, 405, "Method Not Allowed");
  const bool anonymous = user_agent.empty() || starts_with(user_agent, "curl/") ||
                         starts_with(user_agent, "python-requests/");
  if ((upstream == "met_norway" || upstream == "nws") && anonymous) {
    faults_.on_request(upstream);
    return error_like(upstream, 403,
                      "Forbidden: identify your application in the User-Agent header");
  }
  ResponseContext context;
  context.base_url = "http://" + std::string(host);
  context.grid = options_.grid;
  const auto now = std::chrono::system_clock::now();
  if (options_.today) {
    context.today = *options_.today;
    context.now_utc_s =
        std::chrono::sys_days{*options_.today}.time_since_epoch().count() * 86400 + 6 * 3600;
  } else {
    context.today = domain::Date{std::chrono::floor<std::chrono::days>(now)};
    context.now_utc_s =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  }
  const auto fault = faults_.on_request(upstream, target);
  SimResponse response;
  bool built = false;
  if (fault) {
    switch (fault->kind) {
      case FaultKind::status_429:
        response = error_like(
            upstream, 429, "Minutely API request limit exceeded. Please try again in one minute.");
        response.headers.emplace_back("Retry-After", std::to_string(fault->retry_after.count()));
        built = true;
        break;
      case FaultKind::status_500:
        response = error_like(upstream, 500, "Internal Server Error");
        built = true;
        break;
      case FaultKind::reset:
        response.action = SimResponse::Action::reset;
        built = true;
        break;
      case FaultKind::invalid_json:
        response = json_response(
            200, R"({"latitude": 52.52, "longitude": 13.41, "daily": {"time": ["2024-01-01", nul)");
        built = true;
        break;
      case FaultKind::missing_run:
        context.missing_days = fault->missing_days;
        break;
      case FaultKind::delay:
      case FaultKind::truncated:
        break;
    }
  }
  if (!built) {
    std::optional<SimResponse> replayed =
        options_.replay != nullptr ? options_.replay->find(query) : std::nullopt;
    response = replayed ? std::move(*replayed) : build(upstream, query, context);
    if (fault && fault->kind == FaultKind::truncated)
      response.action = SimResponse::Action::truncate;
  }
  response.delay =
      options_.latency +
      (fault && fault->kind == FaultKind::delay ? fault->delay : std::chrono::milliseconds{0});
  return response;
}

}  // namespace evapo::sim
