#include <cmath>

#include <fmt/format.h>

#include <evapo/sites/site_settings.hpp>

namespace evapo::sites {

namespace {

constexpr int kMaxNameLength = 120;

std::string format_local_time(int minute) {
  return fmt::format("{:02}:{:02}", minute / 60, minute % 60);
}

std::optional<int> parse_local_time(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (const std::size_t i : {0U, 1U, 3U, 4U}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return hour * 60 + minute;
}

// Applies every field present in `body` to `settings`, collecting a detail per bad one.
void apply(const nlohmann::json& body, SiteSettings& settings,
           std::vector<domain::ErrorDetail>& details) {
  const auto number = [&](const char* field, double min, double max) -> std::optional<double> {
    const auto it = body.find(field);
    if (it == body.end()) return std::nullopt;
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < min ||
        it->get<double>() > max) {
      details.push_back({field, fmt::format("must be a number between {} and {}", min, max)});
      return std::nullopt;
    }
    return it->get<double>();
  };
  if (const auto it = body.find("name"); it != body.end()) {
    if (!it->is_string() || it->get<std::string>().empty() ||
        it->get<std::string>().size() > kMaxNameLength) {
      details.push_back({"name", fmt::format("must be text of 1 to {} bytes", kMaxNameLength)});
    } else {
      settings.name = it->get<std::string>();
    }
  }
  if (const auto value = number("latitude", -90.0, 90.0)) settings.latitude_deg = *value;
  if (const auto value = number("longitude", -180.0, 180.0)) settings.longitude_deg = *value;
  if (const auto it = body.find("elevation_m"); it != body.end()) {
    if (it->is_null()) {
      settings.elevation_m.reset();
    } else if (const auto value = number("elevation_m", -500.0, 9000.0)) {
      settings.elevation_m = *value;
    }
  }
  if (const auto it = body.find("schedule"); it != body.end()) {
    if (!it->is_object()) {
      details.push_back({"schedule", "must be an object {\"local_time\", \"utc_offset_minutes\"}"});
    } else {
      if (const auto time = it->find("local_time"); time != it->end()) {
        const auto parsed =
            time->is_string() ? parse_local_time(time->get<std::string>()) : std::nullopt;
        if (!parsed) {
          details.push_back({"schedule.local_time", "must be HH:MM, 00:00 to 23:59"});
        } else {
          settings.local_minute = *parsed;
        }
      }
      if (const auto offset = it->find("utc_offset_minutes"); offset != it->end()) {
        if (offset->is_null()) {
          settings.utc_offset_minutes.reset();
        } else if (!offset->is_number_integer() || offset->get<int>() < -12 * 60 ||
                   offset->get<int>() > 14 * 60) {
          details.push_back(
              {"schedule.utc_offset_minutes", "must be whole minutes between -720 and 840"});
        } else {
          settings.utc_offset_minutes = offset->get<int>();
        }
      }
    }
  }
  if (const auto it = body.find("modes"); it != body.end()) {
    bool recent = false;
    bool forecast = false;
    bool valid = it->is_array() && !it->empty();
    if (valid) {
      for (const auto& mode : *it) {
        if (mode == "recent") {
          recent = true;
        } else if (mode == "forecast") {
          forecast = true;
        } else {
          valid = false;
        }
      }
    }
    if (!valid) {
      details.push_back({"modes", "must list \"recent\" and/or \"forecast\""});
    } else {
      settings.recent = recent;
      settings.forecast = forecast;
    }
  }
  if (const auto it = body.find("recent_days"); it != body.end()) {
    bool valid = false;
    for (const int days : pipeline::kRecentWindowDays) {
      valid = valid || (it->is_number_integer() && it->get<int>() == days);
    }
    if (!valid) {
      details.push_back({"recent_days", "must be 7, 14, 21 or 30"});
    } else {
      settings.recent_days = it->get<int>();
    }
  }
  if (const auto it = body.find("sources"); it != body.end()) {
    std::vector<domain::SourceId> sources;
    bool valid = it->is_array();
    if (valid) {
      for (const auto& item : *it) {
        const auto id =
            item.is_string() ? domain::parse_source_id(item.get<std::string>()) : std::nullopt;
        if (!id) {
          valid = false;
        } else {
          sources.push_back(*id);
        }
      }
    }
    if (!valid) {
      details.push_back(
          {"sources", "must list known source ids (nasa_power, open_meteo_archive, ...)"});
    } else {
      settings.sources = std::move(sources);
    }
  }
}

domain::Expected<SiteSettings> checked(const nlohmann::json& body, SiteSettings settings) {
  if (!body.is_object()) {
    return domain::fail(domain::Error::invalid_argument("the body must be a JSON object"));
  }
  std::vector<domain::ErrorDetail> details;
  apply(body, settings, details);
  if (!details.empty()) {
    return domain::fail(domain::Error::invalid_argument("invalid site", std::move(details)));
  }
  return settings;
}

}  // namespace

nlohmann::json to_json(const SiteSettings& settings) {
  nlohmann::json modes = nlohmann::json::array();
  if (settings.recent) modes.push_back("recent");
  if (settings.forecast) modes.push_back("forecast");
  nlohmann::json sources = nlohmann::json::array();
  for (const auto source : settings.sources) sources.push_back(domain::to_string(source));
  nlohmann::json json{{"name", settings.name},
                      {"latitude", settings.latitude_deg},
                      {"longitude", settings.longitude_deg},
                      {"elevation_m", nullptr},
                      {"schedule",
                       {{"local_time", format_local_time(settings.local_minute)},
                        {"utc_offset_minutes", settings.utc_offset_minutes
                                                   ? nlohmann::json(*settings.utc_offset_minutes)
                                                   : nlohmann::json()}}},
                      {"modes", std::move(modes)},
                      {"recent_days", settings.recent_days},
                      {"sources", std::move(sources)}};
  if (settings.elevation_m) json["elevation_m"] = *settings.elevation_m;
  return json;
}

domain::TimeZone site_time_zone(const SiteSettings& settings) {
  if (!settings.utc_offset_minutes) {
    return pipeline::point_time_zone(settings.latitude_deg, settings.longitude_deg).zone;
  }
  const int minutes = *settings.utc_offset_minutes;
  const int magnitude = std::abs(minutes);
  return domain::TimeZone::fixed(
      fmt::format("UTC{}{:02}:{:02}", minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60),
      domain::TimeZoneSource::longitude, minutes * 60);
}

domain::Expected<SiteSettings> parse_new_site(const nlohmann::json& body) {
  if (!body.is_object()) {
    return domain::fail(domain::Error::invalid_argument("the body must be a JSON object"));
  }
  std::vector<domain::ErrorDetail> missing;
  for (const char* field : {"latitude", "longitude"}) {
    if (!body.contains(field)) missing.push_back({field, "required"});
  }
  if (!missing.empty()) {
    return domain::fail(domain::Error::invalid_argument("invalid site", std::move(missing)));
  }
  auto settings = checked(body, SiteSettings{});
  if (!settings) return settings;
  if (settings->name.empty()) {
    settings->name = fmt::format("{:.4f}, {:.4f}", settings->latitude_deg, settings->longitude_deg);
  }
  return settings;
}

domain::Expected<SiteSettings> apply_patch(const SiteSettings& current,
                                           const nlohmann::json& body) {
  return checked(body, current);
}

domain::Expected<SiteSettings> parse_stored(const std::string& settings_json) {
  const auto json = nlohmann::json::parse(settings_json, nullptr, false);
  auto settings = json.is_object() ? checked(json, SiteSettings{}) : domain::fail(domain::Error{});
  if (!settings) {
    return domain::fail(domain::Error::internal("a stored site's settings are unreadable"));
  }
  if (!settings->recent && !settings->forecast) settings->recent = true;
  return settings;
}

}  // namespace evapo::sites
