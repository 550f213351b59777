#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include <evapo/sources/geocoding_client.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/sources/json_guard.hpp>
#include <evapo/sources/upstream_error.hpp>

namespace evapo::sources {

namespace {

using Json = nlohmann::json;

std::string percent_encoded(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

std::string text_of(const Json& item, const char* key) {
  const auto it = item.find(key);
  return it != item.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

std::string geocoding_url(std::string_view base_url, const PlaceQuery& query) {
  return std::string(base_url) + "/v1/search?name=" + percent_encoded(query.name) +
         "&count=" + std::to_string(query.count) + "&language=" + percent_encoded(query.language) +
         "&format=json";
}

domain::Expected<std::vector<Place>> parse_geocoding(std::string_view body) {
  return parse_guarded("geocoding", [&]() -> domain::Expected<std::vector<Place>> {
    const Json json = Json::parse(body.begin(), body.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      return domain::fail(domain::Error::upstream("geocoding: response is not a JSON object"));
    }
    if (json.value("error", false)) {
      return domain::fail(
          domain::Error::upstream("geocoding: " + json.value("reason", std::string("error"))));
    }
    std::vector<Place> places;
    const auto results = json.find("results");
    if (results == json.end()) return places;  // none found: the API leaves the key out
    if (!results->is_array()) {
      return domain::fail(domain::Error::upstream("geocoding: results is not an array"));
    }
    for (const Json& item : *results) {
      if (!item.is_object() || !item.contains("latitude") || !item["latitude"].is_number() ||
          !item.contains("longitude") || !item["longitude"].is_number()) {
        return domain::fail(domain::Error::upstream("geocoding: a result lacks its coordinates"));
      }
      Place place;
      place.id = item.value("id", 0LL);
      place.name = text_of(item, "name");
      place.latitude_deg = item["latitude"].get<double>();
      place.longitude_deg = item["longitude"].get<double>();
      if (item.contains("elevation") && item["elevation"].is_number()) {
        place.elevation_m = item["elevation"].get<double>();
      }
      place.feature_code = text_of(item, "feature_code");
      place.country_code = text_of(item, "country_code");
      place.country = text_of(item, "country");
      place.admin1 = text_of(item, "admin1");
      place.admin2 = text_of(item, "admin2");
      place.timezone = text_of(item, "timezone");
      place.population = item.value("population", 0LL);
      if (!std::isfinite(place.latitude_deg) || !std::isfinite(place.longitude_deg)) {
        return domain::fail(domain::Error::upstream("geocoding: coordinates are not numbers"));
      }
      places.push_back(std::move(place));
    }
    return places;
  });
}

domain::Expected<std::vector<Place>> search_places(const PlaceQuery& query,
                                                   const SourcesConfig& config, HttpClient& http,
                                                   const FetchControl& control) {
  auto response = http.perform(get_request(geocoding_url(config.geocoding_url, query), "geocoding",
                                           {"Accept: application/json"}),
                               control);
  if (!response) return domain::fail(response.error());
  if (response->status < 200 || response->status > 299) {
    std::string reason = body_excerpt(response->body);
    const Json json = Json::parse(response->body, nullptr, false);
    if (json.is_object() && json.contains("reason") && json["reason"].is_string()) {
      reason = json["reason"].get<std::string>();
    }
    return domain::fail(error_for_status("geocoding", response->status, reason));
  }
  return parse_geocoding(response->body);
}

}  // namespace evapo::sources
