#include <algorithm>
#include <charconv>
#include <cstdlib>

#include <evapo/domain/source_id.hpp>
#include <evapo/sources/sources_config.hpp>

namespace evapo::sources {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

void read_url(const char* name, std::string& target) {
  if (const char* value = std::getenv(name); value != nullptr && *value != '\0') {
    std::string url = value;
    while (!url.empty() && url.back() == '/') url.pop_back();
    target = url;
  }
}

domain::Expected<bool> read_int(const char* name, int min_value, int& target) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return false;
  const std::string_view text = trim(value);
  int parsed = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (ec != std::errc{} || ptr != text.data() + text.size() || parsed < min_value) {
    return domain::fail(domain::Error::invalid_argument(
        std::string(name) + " must be an integer >= " + std::to_string(min_value),
        {{name, "malformed"}}));
  }
  target = parsed;
  return true;
}

}  // namespace

domain::Expected<std::vector<domain::SourceId>> parse_source_list(std::string_view text) {
  std::vector<domain::SourceId> ids;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (item.empty()) continue;
    const auto id = domain::parse_source_id(item);
    if (!id) {
      return domain::fail(domain::Error::invalid_argument(
          "unknown source id '" + std::string(item) +
              "' (expected nasa_power, open_meteo_archive, open_meteo_forecast, met_norway, nws)",
          {{"sources", "unknown id " + std::string(item)}}));
    }
    if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
  }
  return ids;
}

domain::Expected<SourcesConfig> SourcesConfig::from_environment() {
  SourcesConfig config;
  read_url("EVAPO_NASA_POWER_URL", config.nasa_power_url);
  read_url("EVAPO_OPEN_METEO_ARCHIVE_URL", config.open_meteo_archive_url);
  read_url("EVAPO_OPEN_METEO_FORECAST_URL", config.open_meteo_forecast_url);
  read_url("EVAPO_MET_NORWAY_URL", config.met_norway_url);
  read_url("EVAPO_NWS_URL", config.nws_url);
  read_url("EVAPO_ELEVATION_URL", config.elevation_url);
  read_url("EVAPO_GEOCODING_URL", config.geocoding_url);
  if (const char* list = std::getenv("EVAPO_SOURCES"); list != nullptr && *list != '\0') {
    auto ids = parse_source_list(list);
    if (!ids) return domain::fail(ids.error());
    config.enabled_sources = std::move(*ids);
  }
  if (const char* agent = std::getenv("EVAPO_USER_AGENT"); agent != nullptr && *agent != '\0') {
    config.user_agent = agent;
  }
  int timeout_ms = static_cast<int>(config.request_timeout.count());
  if (auto r = read_int("EVAPO_HTTP_TIMEOUT_MS", 1, timeout_ms); !r) return domain::fail(r.error());
  config.request_timeout = std::chrono::milliseconds{timeout_ms};
  if (auto r = read_int("EVAPO_HTTP_MAX_ATTEMPTS", 1, config.max_attempts); !r) {
    return domain::fail(r.error());
  }
  if (const char* path = std::getenv("EVAPO_ETOPO_PATH"); path != nullptr && *path != '\0') {
    config.etopo_path = path;
  }
  if (const char* path = std::getenv("EVAPO_TIME_ZONES_PATH"); path != nullptr && *path != '\0') {
    config.time_zones_path = path;
  }
  if (const char* path = std::getenv("EVAPO_LAND_PATH"); path != nullptr && *path != '\0') {
    config.land_path = path;
  }
  return config;
}

bool SourcesConfig::is_enabled(domain::SourceId id) const {
  return std::find(enabled_sources.begin(), enabled_sources.end(), id) != enabled_sources.end();
}

}  // namespace evapo::sources
