#pragma once

// What a monitored site is: a named point, computed every day at a local time, in recent and/or
// forecast mode, from chosen sources (or those the pipeline picks). Validated here once for the
// API (create and patch) and read back by the scheduler.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/domain/source_id.hpp>
#include <evapo/domain/time_zone.hpp>
#include <evapo/pipeline/calculation.hpp>

namespace evapo::sites {

struct SiteSettings {
  std::string name;
  double latitude_deg = 0.0;
  double longitude_deg = 0.0;
  std::optional<double> elevation_m;
  int local_minute = 6 * 60;  // the daily run's local time, minutes after midnight
  /// Given: a fixed local time minus UTC; none: the point's own time zone, daylight saving
  /// included (site_time_zone).
  std::optional<int> utc_offset_minutes;
  bool recent = true;                     // run the recent mode (observed days)
  bool forecast = false;                  // run the forecast mode (today .. +5)
  int recent_days = 7;                    // 7 | 14 | 21 | 30
  std::vector<domain::SourceId> sources;  // empty: chosen by the pipeline
};

/// The stored and API form: {"name","latitude","longitude","elevation_m"?,"schedule":
/// {"local_time":"HH:MM","utc_offset_minutes": minutes | null},"modes":["recent","forecast"],
/// "recent_days","sources":[...]}.
nlohmann::json to_json(const SiteSettings& settings);

/// The zone the site's local time is read in: the fixed offset when one was given, else the
/// point's time zone (pipeline::point_time_zone), the one its calculations' days are in.
domain::TimeZone site_time_zone(const SiteSettings& settings);

/// A new site from a POST body. Defaults: local_time 06:00 in the point's time zone, modes
/// ["recent"], recent_days 7, sources automatic, name "lat, lon". Errors: invalid_argument with
/// a detail per bad field.
domain::Expected<SiteSettings> parse_new_site(const nlohmann::json& body);

/// `current` with the fields of a PATCH body replaced (same rules as parse_new_site).
domain::Expected<SiteSettings> apply_patch(const SiteSettings& current, const nlohmann::json& body);

/// The stored form back. Errors: internal when it does not read.
domain::Expected<SiteSettings> parse_stored(const std::string& settings_json);

}  // namespace evapo::sites
