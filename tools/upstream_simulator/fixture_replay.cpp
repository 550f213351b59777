#include "fixture_replay.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

namespace evapo::sim {

namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

enum class Kind { raw, wrapper };

struct Recorded {
  const char* target;  // recorded request (path and query)
  const char* file;
  Kind kind;
  unsigned status;
  const char* content_type;
};

// Recordings saved as a bare body or a client wrapper, and the request each answers (those of
// fixtures/weather/README.md). Cassettes name their own requests and are found by file name. The
// Brasilia archive requests were made by place name; the grid cell the answer reports (-15.8,
// -47.9) stands in for the point.
constexpr Recorded kRecorded[] = {
    {"/v1/"
     "archive?latitude=-15.8&longitude=-47.9&start_date=2022-12-29&end_date=2023-01-08&daily="
     "temperature_2m_max&timezone=auto",
     "open_meteo_archive_daily_example.json", Kind::raw, 200, "application/json; charset=utf-8"},
    {"/v1/"
     "archive?latitude=-15.8&longitude=-47.9&start_date=2022-12-29&end_date=2022-12-29&hourly="
     "temperature_2m&daily=temperature_2m_max&timezone=auto",
     "open_meteo_archive_hourly_and_daily_example.json", Kind::raw, 200,
     "application/json; charset=utf-8"},
    {"/v1/"
     "archive?latitude=-12.46113&longitude=-130.84184&start_date=2022-12-29&end_date=2022-12-29&"
     "hourly=temperature_2m&timezone=auto",
     "open_meteo_archive_hourly_ocean_point_example.json", Kind::raw, 200,
     "application/json; charset=utf-8"},
    {"/v1/"
     "forecast?latitude=-12.46113&longitude=-130.84184&start_date=2022-12-29&end_date=2023-01-08&"
     "daily=temperature_2m_max&timezone=auto",
     "open_meteo_forecast_daily_nulls_example.json", Kind::raw, 200,
     "application/json; charset=utf-8"},
    {"/v1/"
     "forecast?latitude=-12.46113&longitude=130.84184&current_weather=TRUE&timezone=auto&"
     "temperature_unit=asdfsfd&windspeed_unit=asdfsd",
     "open_meteo_error_400_bad_unit_body.json", Kind::raw, 400, "application/json; charset=utf-8"},
    {"/v1/forecast?latitude=45.46427&longitude=9.18951&timezone=auto&hourly=lksdfj",
     "open_meteo_error_400_bad_variable_body.json", Kind::raw, 400,
     "application/json; charset=utf-8"},
    {"/weatherapi/locationforecast/2.0/compact?lat=40.7&lon=-74.0&altitude=10",
     "met_norway_locationforecast_compact_example.json", Kind::wrapper, 0, nullptr},
    {"/weatherapi/locationforecast/2.0/complete?lat=51.5&lon=-0.1&altitude=25",
     "met_norway_locationforecast_complete_example.json", Kind::wrapper, 0, nullptr},
    {"/points/30,-85", "nws_points_example.json", Kind::raw, 200, "application/geo+json"},
    {"/gridpoints/TAE/58,65", "nws_gridpoints_raw_example.json", Kind::raw, 200,
     "application/geo+json"},
    {"/stations/KFLL/observations/latest", "nws_observation_latest_example.json", Kind::raw, 200,
     "application/geo+json"},
};

}  // namespace

std::string FixtureReplay::key_of(const Query& query) {
  std::string key = query.path + "?";
  bool first = true;
  for (const auto& [name, value] : query.params) {
    if (!first) key += "&";
    key += name + "=" + value;
    first = false;
  }
  return key;
}

void FixtureReplay::load_cassette(const nlohmann::json& cassette) {
  if (!cassette.contains("http_interactions")) return;
  for (const auto& interaction : cassette["http_interactions"]) {
    std::string uri = interaction["request"].value("uri", "");
    const auto scheme = uri.find("://");
    if (scheme != std::string::npos) uri = uri.substr(uri.find('/', scheme + 3));
    const auto& response = interaction["response"];
    std::string type = "text/plain";
    if (response.contains("headers") && response["headers"].contains("content-type")) {
      const auto& header = response["headers"]["content-type"];
      type = header.is_array() ? header.front().get<std::string>() : header.get<std::string>();
    }
    const unsigned status = response["status"].is_object()
                                ? response["status"].value("status_code", 200U)
                                : response["status"].get<unsigned>();
    responses_[key_of(parse_target(uri))] =
        json_response(status, response["body"].value("string", ""), type);
  }
}

std::size_t FixtureReplay::load(const std::string& directory) {
  for (const Recorded& r : kRecorded) {
    const auto text = read_file(directory + "/" + r.file);
    if (!text) continue;
    if (r.kind == Kind::raw) {
      responses_[key_of(parse_target(r.target))] = json_response(r.status, *text, r.content_type);
      continue;
    }
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (!json.is_discarded() && json.contains("data")) {
      // The saved client wrapper keeps the parsed body only; it is re-serialised.
      responses_[key_of(parse_target(r.target))] =
          json_response(json.value("status_code", 200U), json["data"].dump(), "application/json");
    }
  }
  // VCR-style cassettes (`*cassette.json`): recorded ones, or a station record served in an
  // API's wire format by a test.
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with("cassette.json")) continue;
    const auto text = read_file(entry.path().string());
    if (!text) continue;
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (!json.is_discarded() && json.is_object()) load_cassette(json);
  }
  return responses_.size();
}

std::optional<SimResponse> FixtureReplay::find(const Query& query) const {
  const auto it = responses_.find(key_of(query));
  if (it == responses_.end()) return std::nullopt;
  return it->second;
}

}  // namespace evapo::sim
