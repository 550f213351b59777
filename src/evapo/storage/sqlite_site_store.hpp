#pragma once

#include <memory>

#include <evapo/storage/site_store.hpp>
#include <evapo/storage/sqlite_database.hpp>

namespace evapo::storage {

/// SiteStore on SQLite: tables sites, site_runs (primary key (site_id, local_date): the
/// once-a-day rule) and site_days (primary key (site_id, date)).
class SqliteSiteStore final : public SiteStore {
 public:
  /// Migrates module "sites" in `db`.
  static domain::Expected<std::shared_ptr<SqliteSiteStore>> create(
      std::shared_ptr<SqliteDatabase> db);

  domain::Expected<void> create(const SiteRecord& site) override;
  domain::Expected<std::optional<SiteRecord>> get(std::string_view id) override;
  domain::Expected<std::vector<SiteRecord>> list(std::optional<std::string> workspace_id) override;
  domain::Expected<void> update(const SiteRecord& site) override;
  domain::Expected<bool> remove(std::string_view id) override;
  domain::Expected<bool> claim_run(const SiteRun& run) override;
  domain::Expected<void> set_run_tasks(std::string_view site_id, std::string_view local_date,
                                       std::string_view tasks_json) override;
  domain::Expected<std::vector<SiteRun>> open_runs(int limit) override;
  domain::Expected<std::optional<SiteRun>> last_run(std::string_view site_id) override;
  domain::Expected<void> finish_run(std::string_view site_id, std::string_view local_date,
                                    std::string_view outcome, std::string_view finished_at,
                                    std::span<const SiteDay> days) override;
  domain::Expected<std::vector<SiteDay>> history(std::string_view site_id,
                                                 std::string_view from_date) override;

 private:
  explicit SqliteSiteStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace evapo::storage
