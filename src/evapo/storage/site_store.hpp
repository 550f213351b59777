#pragma once

// Monitored sites: a record per site (its settings kept as JSON text by the sites layer), the
// scheduler's runs, unique per site and local date (the once-a-day rule, even with several
// nodes), and each site's history of daily ETo.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/error.hpp>

namespace evapo::storage {

struct SiteRecord {
  std::string id;             // 32 hex digits, random
  std::string workspace_id;   // the owner
  std::string settings_json;  // name, point, schedule, modes, sources (sites layer)
  std::string created_at;     // ISO-8601 UTC
  std::string updated_at;
};

/// One scheduled run of a site: at most one per site and local date.
struct SiteRun {
  std::string site_id;
  std::string local_date;                  // YYYY-MM-DD, the site's day the run is for
  std::string node;                        // who claimed it
  std::string claimed_at;                  // ISO-8601 UTC
  std::string tasks_json = "[]";           // the tasks submitted for it
  std::optional<std::string> finished_at;  // once its results are in the history (or failed)
  std::string outcome;                     // "" while running; "ok" | "failed: ..."
};

/// One day of a site's history.
struct SiteDay {
  std::string date;                // YYYY-MM-DD
  double eto_mm = 0.0;             // NaN: the day was computed without a value
  std::string kind;                // "observed" | "forecast"
  std::string detail_json = "{}";  // quality, sources, ...
  std::string task_id;
  std::string updated_at;
};

class SiteStore {
 public:
  virtual ~SiteStore() = default;

  virtual domain::Expected<void> create(const SiteRecord& site) = 0;
  virtual domain::Expected<std::optional<SiteRecord>> get(std::string_view id) = 0;
  /// Oldest first; only `workspace_id`'s when given.
  virtual domain::Expected<std::vector<SiteRecord>> list(
      std::optional<std::string> workspace_id) = 0;
  /// Replaces settings and updated_at. Errors: not_found.
  virtual domain::Expected<void> update(const SiteRecord& site) = 0;
  /// Deletes the site with its runs and history; false when there was none.
  virtual domain::Expected<bool> remove(std::string_view id) = 0;

  /// Claims the run of (site, local date): true for the one caller that created it, false when
  /// it already exists (another node or an earlier tick has it).
  virtual domain::Expected<bool> claim_run(const SiteRun& run) = 0;
  /// Records the tasks submitted for a claimed run.
  virtual domain::Expected<void> set_run_tasks(std::string_view site_id,
                                               std::string_view local_date,
                                               std::string_view tasks_json) = 0;
  /// Runs not finished yet, oldest first, at most `limit`.
  virtual domain::Expected<std::vector<SiteRun>> open_runs(int limit) = 0;
  /// The site's latest run (by local date), or nullopt.
  virtual domain::Expected<std::optional<SiteRun>> last_run(std::string_view site_id) = 0;

  /// In one transaction: writes `days` into the history (a day replaces the stored one, except
  /// that a forecast never replaces an observed day) and marks the run finished with `outcome`.
  virtual domain::Expected<void> finish_run(std::string_view site_id, std::string_view local_date,
                                            std::string_view outcome, std::string_view finished_at,
                                            std::span<const SiteDay> days) = 0;

  /// History days from `from_date` (YYYY-MM-DD, inclusive; empty: all), ascending.
  virtual domain::Expected<std::vector<SiteDay>> history(std::string_view site_id,
                                                         std::string_view from_date) = 0;
};

}  // namespace evapo::storage
