#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include <evapo/server/http_error.hpp>
#include <evapo/server/place_search_handler.hpp>
#include <evapo/server/place_search_service.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

constexpr int kDefaultCount = 8;
constexpr int kMaxCount = 20;
constexpr std::size_t kMaxNameBytes = 200;

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

nlohmann::json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json places_json(const std::vector<sources::Place>& places) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& p : places) {
    results.push_back({{"id", p.id},
                       {"name", p.name},
                       {"latitude", p.latitude_deg},
                       {"longitude", p.longitude_deg},
                       {"elevation_m", std::isfinite(p.elevation_m) ? nlohmann::json(p.elevation_m)
                                                                    : nlohmann::json(nullptr)},
                       {"feature_code", text_or_null(p.feature_code)},
                       {"country_code", text_or_null(p.country_code)},
                       {"country", text_or_null(p.country)},
                       {"admin1", text_or_null(p.admin1)},
                       {"admin2", text_or_null(p.admin2)},
                       {"timezone", text_or_null(p.timezone)},
                       {"population", p.population > 0 ? nlohmann::json(p.population)
                                                       : nlohmann::json(nullptr)}});
  }
  return {{"results", std::move(results)}};
}

// The query of a search request, or the problems with it.
domain::Expected<sources::PlaceQuery> parse_query(std::string_view target) {
  std::vector<domain::ErrorDetail> problems;
  sources::PlaceQuery query;
  query.name = trimmed(query_parameter(target, "name"));
  if (query.name.size() < 2) {
    problems.push_back({"name", "at least 2 characters"});
  } else if (query.name.size() > kMaxNameBytes) {
    problems.push_back({"name", "at most 200 bytes"});
  }
  const std::string language = query_parameter(target, "language");
  if (!language.empty()) {
    const bool two_letters =
        language.size() == 2 && std::islower(language[0]) != 0 && std::islower(language[1]) != 0;
    if (two_letters) {
      query.language = language;
    } else {
      problems.push_back({"language", "two lower-case letters, e.g. en or pt"});
    }
  }
  query.count = kDefaultCount;
  const std::string count = query_parameter(target, "count");
  if (!count.empty()) {
    int value = 0;
    const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), value);
    if (ec != std::errc() || end != count.data() + count.size() || value < 1 || value > kMaxCount) {
      problems.push_back({"count", "an integer from 1 to 20"});
    } else {
      query.count = value;
    }
  }
  if (!problems.empty()) {
    return domain::fail(
        domain::Error::invalid_argument("the search has invalid parameters", std::move(problems)));
  }
  return query;
}

}  // namespace

void add_place_search_routes(Router& router, PlaceSearchService& service) {
  router.add({.method = http::verb::get,
              .pattern = "/api/v1/geocoding/search",
              .name = "geocoding_search",
              .kind = RouteKind::http,
              .limit = RateLimit::per_client,
              .handler = nullptr,
              .async_handler = [&service](const HttpRequest& request, const PathParams&,
                                          Responder respond) {
                auto query = parse_query(request.target());
                if (!query) return respond(error_response(request, query.error()));
                // Only what the answer needs is kept: the request dies with this call.
                HttpRequest head{request.method(), request.target(), request.version()};
                head.keep_alive(request.keep_alive());
                service.search(std::move(*query), [head = std::move(head), respond](auto places) {
                  if (!places) return respond(error_response(head, places.error()));
                  respond(json_response(head, http::status::ok, places_json(*places).dump()));
                });
              }});
}

}  // namespace evapo::server
