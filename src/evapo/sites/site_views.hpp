#pragma once

// Monitored sites as the API shows them: a site with its last run, next run, last ETo and the
// last 30 days (the list's sparkline), and its history as JSON or CSV.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <evapo/sites/site_settings.hpp>
#include <evapo/storage/site_store.hpp>

namespace evapo::sites {

/// Days of history shown with a site (its sparkline).
inline constexpr int kRecentHistoryDays = 30;

/// {"id", settings..., "created_at","updated_at","last_run": {"local_date","outcome",
/// "finished_at"} | null,"next_run_at","last_eto": {"date","eto_mm","kind"} | null,
/// "recent": [{"date","eto_mm","kind"}],"links"}.
nlohmann::json site_json(const storage::SiteRecord& site, const SiteSettings& settings,
                         const std::optional<storage::SiteRun>& last_run,
                         const std::vector<storage::SiteDay>& recent,
                         std::chrono::system_clock::time_point now);

/// {"days": [{"date","eto_mm","kind","quality","sources","task_id","updated_at"}]}.
nlohmann::json history_json(const std::vector<storage::SiteDay>& days);

/// The same as CSV: date,eto_mm,kind,quality,sources,task_id,updated_at (sources ';'-joined).
std::string history_csv(const std::vector<storage::SiteDay>& days);

/// The first day of the recent window shown with a site at `now`.
std::string recent_from(const SiteSettings& settings, std::chrono::system_clock::time_point now);

}  // namespace evapo::sites
